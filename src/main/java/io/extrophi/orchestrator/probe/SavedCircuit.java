package io.extrophi.orchestrator.probe;

import io.extrophi.orchestrator.bus.CircuitState;
import io.extrophi.orchestrator.config.ServiceDefinition;
import io.vertx.core.json.JsonObject;
import java.util.Optional;

/**
 * A service's circuit as the status side holds it (saved before a restart, or replicated in a
 * cluster), from {@link io.extrophi.orchestrator.bus.EventBusAddresses#CIRCUITS_QUERY}.
 *
 * @param state the circuit's state
 * @param consecutiveFailures failures in a row the circuit counted
 * @param checkIdentity the fingerprint of the check the circuit belongs to ({@link
 *     ServiceDefinition#checkIdentity}), {@code null} when not known (a state saved before it was
 *     kept)
 */
record SavedCircuit(CircuitState state, int consecutiveFailures, String checkIdentity) {

  /** The circuit of {@code service} in a {@code CIRCUITS_QUERY} reply, if it has one. */
  static Optional<SavedCircuit> of(JsonObject circuits, String service) {
    JsonObject saved = circuits.getJsonObject(service);
    if (saved == null) {
      return Optional.empty();
    }
    return Optional.of(
        new SavedCircuit(
            CircuitState.fromJsonName(saved.getString("state")),
            saved.getInteger("consecutive_failures", 0),
            saved.getString("check")));
  }

  /**
   * Whether {@code service} continues this circuit: the same rule as a reload, under which a
   * service whose check changed gets a fresh circuit. A circuit of an unknown check is continued,
   * as before the fingerprint was kept.
   */
  boolean belongsTo(ServiceDefinition service) {
    return checkIdentity == null || checkIdentity.equals(service.checkIdentity());
  }
}
