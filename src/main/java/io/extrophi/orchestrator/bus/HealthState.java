package io.extrophi.orchestrator.bus;

/** The health of one service as reported by the API. */
public enum HealthState {
  /** The last probe got a 2xx response within the timeout. */
  HEALTHY("healthy"),
  /** The last probe failed. */
  UNHEALTHY("unhealthy"),
  /** No probe has completed yet. */
  UNKNOWN("unknown"),
  /** The circuit is open: the service is not probed until the reset timeout has passed. */
  CIRCUIT_OPEN("circuit_open");

  private final String jsonName;

  HealthState(String jsonName) {
    this.jsonName = jsonName;
  }

  public String jsonName() {
    return jsonName;
  }

  /**
   * @throws IllegalArgumentException for a name that is not a health state's
   */
  public static HealthState fromJsonName(String name) {
    for (HealthState state : values()) {
      if (state.jsonName.equals(name)) {
        return state;
      }
    }
    throw new IllegalArgumentException("not a health state: " + name);
  }
}
