package io.extrophi.orchestrator.status;

import io.extrophi.orchestrator.bus.HealthState;
import java.util.Collection;

/**
 * The health of the whole fleet: {@code healthy} when every service is healthy, {@code degraded}
 * when some are and some are not, {@code unhealthy} when none is. {@code unknown} and {@code
 * circuit_open} count as not healthy.
 */
public enum OverallHealth {
  HEALTHY("healthy"),
  DEGRADED("degraded"),
  UNHEALTHY("unhealthy");

  private final String jsonName;

  OverallHealth(String jsonName) {
    this.jsonName = jsonName;
  }

  public String jsonName() {
    return jsonName;
  }

  /** Decides the overall health; an empty fleet is vacuously healthy. */
  public static OverallHealth of(Collection<HealthState> services) {
    return of(
        services.stream().filter(state -> state == HealthState.HEALTHY).count(), services.size());
  }

  /** Decides the overall health from how many of {@code total} services are healthy. */
  public static OverallHealth of(long healthy, long total) {
    if (healthy == total) {
      return HEALTHY;
    }
    return healthy == 0 ? UNHEALTHY : DEGRADED;
  }
}
