package io.extrophi.orchestrator.status;

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
    long healthy = services.stream().filter(state -> state == HealthState.HEALTHY).count();
    if (healthy == services.size()) {
      return HEALTHY;
    }
    return healthy == 0 ? UNHEALTHY : DEGRADED;
  }
}
