package io.extrophi.orchestrator.bus;

import io.extrophi.orchestrator.time.Timestamps;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Objects;

/**
 * A change of a service's circuit state, published on {@link
 * EventBusAddresses#BREAKER_TRANSITIONS}.
 *
 * @param service name of the service whose circuit changed
 * @param from state before the transition
 * @param to state after the transition
 * @param reason why it changed, e.g. {@code after 5 consecutive failures}
 * @param at when it changed
 */
public record BreakerTransition(
    String service, CircuitState from, CircuitState to, String reason, Instant at)
    implements StatusEvent {

  public BreakerTransition {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(at, "at");
  }

  public static BreakerTransition fromJson(JsonObject json) {
    return new BreakerTransition(
        json.getString("service"),
        CircuitState.fromJsonName(json.getString("from")),
        CircuitState.fromJsonName(json.getString("to")),
        json.getString("reason"),
        Timestamps.parse(json.getString("at")));
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put(MessageSchema.FIELD, MessageSchema.VERSION)
        .put("service", service)
        .put("from", from.jsonName())
        .put("to", to.jsonName())
        .put("reason", reason)
        .put("at", Timestamps.format(at));
  }

  @Override
  public JsonObject toEventJson() {
    return toJson();
  }

  /** The log line of the transition: {@code circuit writer: closed -> open after 5 ...}. */
  public String describe() {
    return "circuit " + service + ": " + from.jsonName() + " -> " + to.jsonName() + " " + reason;
  }
}
