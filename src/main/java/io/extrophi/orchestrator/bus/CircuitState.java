package io.extrophi.orchestrator.bus;

/** The three states of a service's circuit, with the names used in JSON and logs. */
public enum CircuitState {
  CLOSED("closed"),
  OPEN("open"),
  HALF_OPEN("half_open");

  private final String jsonName;

  CircuitState(String jsonName) {
    this.jsonName = jsonName;
  }

  public String jsonName() {
    return jsonName;
  }

  public static CircuitState fromJsonName(String name) {
    for (CircuitState state : values()) {
      if (state.jsonName.equals(name)) {
        return state;
      }
    }
    throw new IllegalArgumentException("unknown circuit state: " + name);
  }
}
