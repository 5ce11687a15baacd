package io.extrophi.orchestrator.cluster;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Objects;

/**
 * Which services a node probes: the live orchestrator nodes of the cluster, this node's id, and
 * whether this node may probe at all (it may not while it has lost the cluster or its quorum). A
 * service belongs to exactly one live node (see {@link Rendezvous}).
 *
 * @param nodes ids of the live orchestrator nodes, sorted
 * @param self this node's id; {@code null} for a single process, which owns every service
 * @param active whether this node probes; an inactive node serves its last snapshot
 */
public record Assignment(List<String> nodes, String self, boolean active) {

  /** A single process: owns every service. */
  public static final Assignment SINGLE_PROCESS = new Assignment(List.of(), null, true);

  public Assignment {
    nodes = List.copyOf(nodes);
  }

  /** A cluster node before it knows the members: owns nothing yet. */
  public static Assignment waiting(String self) {
    return new Assignment(List.of(), Objects.requireNonNull(self, "self"), false);
  }

  /** Whether this node probes {@code service}. */
  public boolean owns(String service) {
    if (!active) {
      return false;
    }
    return self == null || self.equals(ownerOf(service));
  }

  /** The node that probes {@code service}; {@code null} when no node is live. */
  public String ownerOf(String service) {
    return self == null ? null : Rendezvous.owner(service, nodes);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("nodes", new JsonArray(nodes))
        .put("self", self)
        .put("active", active);
  }

  public static Assignment fromJson(JsonObject json) {
    List<String> nodes =
        json.getJsonArray("nodes", new JsonArray()).stream().map(String::valueOf).toList();
    return new Assignment(nodes, json.getString("self"), json.getBoolean("active", false));
  }
}
