package io.extrophi.orchestrator.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What a reload changes, by service name. A service is {@code changed} when its check (any field of
 * its definition but its alert receiver) or the circuit settings shared by all services changed;
 * those services get a fresh circuit, the others keep theirs.
 *
 * @param added services new in the next configuration, in its order
 * @param removed services no longer configured
 * @param changed services present in both whose check or circuit settings differ
 */
public record ConfigDiff(List<String> added, List<String> removed, List<String> changed) {

  public ConfigDiff {
    added = List.copyOf(added);
    removed = List.copyOf(removed);
    changed = List.copyOf(changed);
  }

  public static ConfigDiff between(OrchestratorConfig current, OrchestratorConfig next) {
    boolean everyCheckChanged =
        current.failureThreshold() != next.failureThreshold()
            || current.successThreshold() != next.successThreshold()
            || !current.resetTimeout().equals(next.resetTimeout())
            || current.runtime().maxBodyBytes() != next.runtime().maxBodyBytes();
    Map<String, ServiceDefinition> before = byName(current);
    Map<String, ServiceDefinition> after = byName(next);
    List<String> added = new ArrayList<>();
    List<String> changed = new ArrayList<>();
    for (ServiceDefinition service : next.services()) {
      ServiceDefinition previous = before.get(service.name());
      if (previous == null) {
        added.add(service.name());
      } else if (everyCheckChanged || !previous.sameCheckAs(service)) {
        changed.add(service.name());
      }
    }
    List<String> removed =
        current.services().stream()
            .map(ServiceDefinition::name)
            .filter(name -> !after.containsKey(name))
            .toList();
    return new ConfigDiff(added, removed, changed);
  }

  /** Whether applying the next configuration would restart or stop anything at all. */
  public boolean touchesServices() {
    return !added.isEmpty() || !removed.isEmpty() || !changed.isEmpty();
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("added", new JsonArray(added))
        .put("removed", new JsonArray(removed))
        .put("changed", new JsonArray(changed));
  }

  private static Map<String, ServiceDefinition> byName(OrchestratorConfig config) {
    return config.services().stream()
        .collect(Collectors.toMap(ServiceDefinition::name, Function.identity()));
  }
}
