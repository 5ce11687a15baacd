package io.extrophi.orchestrator.bus;

import io.extrophi.orchestrator.document.ReportedStatus;
import io.extrophi.orchestrator.time.Timestamps;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Objects;

/**
 * A change of what a service's health document says about it ({@code pass -> warn}, {@code warn ->
 * pass}, ...), published on {@link EventBusAddresses#REPORTED_STATUS_CHANGES} by the node that
 * probed the service, once per change. A warning keeps the service {@code healthy}, so no {@link
 * HealthTransition} tells of it: this event does.
 *
 * @param service name of the service
 * @param from the reported status before, {@code null} when the service reported none
 * @param to the reported status after, {@code null} when the service reports none now
 * @param health the service's health after the change
 * @param reason the probe's reason: the document's own ({@code db: OUT_OF_SERVICE}) or {@code check
 *     succeeded}
 * @param at when the probe that saw the change happened
 */
public record ReportedStatusChange(
    String service,
    ReportedStatus from,
    ReportedStatus to,
    HealthState health,
    String reason,
    Instant at) {

  public ReportedStatusChange {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(health, "health");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(at, "at");
  }

  /** Whether the service enters or leaves a warning with this change. */
  public boolean isWarningChange() {
    return (from == ReportedStatus.WARN) != (to == ReportedStatus.WARN);
  }

  public static ReportedStatusChange fromJson(JsonObject json) {
    return new ReportedStatusChange(
        json.getString("service"),
        ReportedStatus.fromJsonName(json.getString("from")).orElse(null),
        ReportedStatus.fromJsonName(json.getString("to")).orElse(null),
        HealthState.fromJsonName(json.getString("health")),
        json.getString("reason"),
        Timestamps.parse(json.getString("at")));
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put(MessageSchema.FIELD, MessageSchema.VERSION)
        .put("service", service)
        .put("from", from == null ? null : from.jsonName())
        .put("to", to == null ? null : to.jsonName())
        .put("health", health.jsonName())
        .put("reason", reason)
        .put("at", Timestamps.format(at));
  }

  /** The log line: {@code reported writer: pass -> warn (db: OUT_OF_SERVICE)}. */
  public String describe() {
    return "reported "
        + service
        + ": "
        + (from == null ? "none" : from.jsonName())
        + " -> "
        + (to == null ? "none" : to.jsonName())
        + " ("
        + reason
        + ")";
  }
}
