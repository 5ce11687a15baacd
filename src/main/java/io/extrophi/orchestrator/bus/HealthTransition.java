package io.extrophi.orchestrator.bus;

import io.extrophi.orchestrator.time.Timestamps;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Objects;

/**
 * A change of a service's reported health ({@code healthy -> unhealthy}, {@code unhealthy ->
 * circuit_open}, ...), published on {@link EventBusAddresses#HEALTH_TRANSITIONS} by the node that
 * probed the service, once per change.
 *
 * @param service name of the service
 * @param from health before the change
 * @param to health after the change
 * @param reason what caused it: the failed probe's error ({@code HTTP 503}, {@code connection
 *     refused}), {@code check succeeded}, or the circuit transition's reason
 * @param at when the probe or transition that caused it happened
 * @param rootCause the failing service that takes this one down, when this service fails because a
 *     service it depends on ({@code depends_on}) fails; {@code null} otherwise (see {@code
 *     dependency.RootCauses})
 */
public record HealthTransition(
    String service, HealthState from, HealthState to, String reason, Instant at, String rootCause) {

  /** A change without a root cause of another service. */
  public HealthTransition(
      String service, HealthState from, HealthState to, String reason, Instant at) {
    this(service, from, to, reason, at, null);
  }

  public HealthTransition {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(at, "at");
  }

  public static HealthTransition fromJson(JsonObject json) {
    return new HealthTransition(
        json.getString("service"),
        HealthState.fromJsonName(json.getString("from")),
        HealthState.fromJsonName(json.getString("to")),
        json.getString("reason"),
        Timestamps.parse(json.getString("at")),
        json.getString("root_cause"));
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put(MessageSchema.FIELD, MessageSchema.VERSION)
        .put("service", service)
        .put("from", from.jsonName())
        .put("to", to.jsonName())
        .put("reason", reason)
        .put("at", Timestamps.format(at))
        .put("root_cause", rootCause);
  }

  /** The log line of the change: {@code health writer: healthy -> unhealthy (HTTP 503)}. */
  public String describe() {
    return "health "
        + service
        + ": "
        + from.jsonName()
        + " -> "
        + to.jsonName()
        + " ("
        + reason
        + (rootCause == null ? "" : "; root cause: " + rootCause)
        + ")";
  }
}
