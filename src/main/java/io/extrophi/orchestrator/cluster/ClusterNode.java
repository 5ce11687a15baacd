package io.extrophi.orchestrator.cluster;

import java.util.Objects;

/**
 * What a node of a cluster needs to take part: its view of the members and the quorum below which
 * it stops probing.
 *
 * @param membership this node's view of the cluster
 * @param quorum the fewest live orchestrator nodes with which this node probes
 */
public record ClusterNode(ClusterMembership membership, int quorum) {

  public ClusterNode {
    Objects.requireNonNull(membership, "membership");
    if (quorum < 1) {
      throw new IllegalArgumentException("quorum must be at least 1: " + quorum);
    }
  }
}
