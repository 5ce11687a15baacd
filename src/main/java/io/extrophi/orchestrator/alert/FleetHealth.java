package io.extrophi.orchestrator.alert;

import io.extrophi.orchestrator.bus.HealthState;
import io.extrophi.orchestrator.bus.HealthTransition;
import io.extrophi.orchestrator.dependency.RootCauses;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The health of every service as the alerts know it, from the health transitions of the whole
 * cluster (not only the services this node probes), and the transition that started each failing
 * service's failure: the transition its root-cause alert was made from, so that every node derives
 * the same alert id from it.
 *
 * <p>A transition heard twice (once locally, once from the cluster) or late (older than the last
 * one applied) changes nothing.
 */
final class FleetHealth {

  private record Known(HealthState health, Instant at, HealthTransition failingSince) {}

  private final Map<String, Known> services = new HashMap<>();

  /** Applies {@code change} unless a later one of the same service was applied already. */
  void apply(HealthTransition change) {
    Known known = services.get(change.service());
    if (known != null && known.at().isAfter(change.at())) {
      return;
    }
    HealthTransition failingSince = null;
    if (RootCauses.isFailing(change.to())) {
      failingSince =
          RootCauses.isFailing(change.from())
              ? (known == null ? null : known.failingSince())
              : change;
    }
    services.put(change.service(), new Known(change.to(), change.at(), failingSince));
  }

  /** The health of {@code service}, {@link HealthState#UNKNOWN} if nothing was heard of it. */
  HealthState health(String service) {
    Known known = services.get(service);
    return known == null ? HealthState.UNKNOWN : known.health();
  }

  /**
   * The transition that started {@code service}'s current failure; empty when it is not failing, or
   * when that transition happened before this node heard of the service.
   */
  Optional<HealthTransition> failingSince(String service) {
    Known known = services.get(service);
    return Optional.ofNullable(known == null ? null : known.failingSince());
  }

  /** Forgets the services that are no longer configured. */
  void retain(Collection<String> configured) {
    services.keySet().retainAll(Set.copyOf(configured));
  }
}
