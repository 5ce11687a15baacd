package io.extrophi.orchestrator.bus;

import io.extrophi.orchestrator.document.Component;
import io.extrophi.orchestrator.document.HealthReport;
import io.extrophi.orchestrator.document.ReportedStatus;
import io.extrophi.orchestrator.time.Timestamps;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of one probe that was really sent, published on {@link
 * EventBusAddresses#PROBE_RESULTS}. Checks skipped because the circuit is open are not probes and
 * are never published.
 *
 * @param service name of the probed service
 * @param healthy {@code true} when a 2xx response arrived within the timeout
 * @param statusCode HTTP status of the response, {@code null} when none arrived
 * @param responseTimeMs time from sending the request to receiving the whole response, rounded to
 *     two decimals; {@code null} when no response arrived
 * @param errorMessage short specific reason of a failure ({@code HTTP 503}, {@code timeout after
 *     5000 ms}, ...); {@code null} after a success
 * @param checkedAt when the probe completed
 * @param reportedStatus the service's own verdict from its health document ({@code pass}, {@code
 *     warn}, {@code fail}); {@code null} when the body was not read as a document
 * @param components the document's components, at most {@code HealthReport.MAX_COMPONENTS}; empty
 *     without a document
 */
public record ProbeResult(
    String service,
    boolean healthy,
    Integer statusCode,
    Double responseTimeMs,
    String errorMessage,
    Instant checkedAt,
    ReportedStatus reportedStatus,
    List<Component> components)
    implements StatusEvent {

  public ProbeResult {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(checkedAt, "checkedAt");
    components = components == null ? List.of() : List.copyOf(components);
  }

  /** A result without a health document. */
  public ProbeResult(
      String service,
      boolean healthy,
      Integer statusCode,
      Double responseTimeMs,
      String errorMessage,
      Instant checkedAt) {
    this(service, healthy, statusCode, responseTimeMs, errorMessage, checkedAt, null, List.of());
  }

  /** This result with what the service's health document reported. */
  public ProbeResult withDocument(HealthReport report) {
    return new ProbeResult(
        service,
        healthy,
        statusCode,
        responseTimeMs,
        errorMessage,
        checkedAt,
        report.verdict(),
        report.components());
  }

  public static ProbeResult success(
      String service, int statusCode, double responseTimeMs, Instant checkedAt) {
    return new ProbeResult(service, true, statusCode, responseTimeMs, null, checkedAt);
  }

  public static ProbeResult failure(
      String service,
      Integer statusCode,
      Double responseTimeMs,
      String errorMessage,
      Instant checkedAt) {
    return new ProbeResult(service, false, statusCode, responseTimeMs, errorMessage, checkedAt);
  }

  /**
   * Lets {@code bus} carry a result as it is, delivered to consumers as its {@link #toJson()}
   * (built only when somebody receives it). Registering twice is harmless.
   */
  public static void registerCodec(EventBus bus) {
    JsonViewCodec.register(bus, ProbeResult.class, ProbeResult::toEventJson);
  }

  public static ProbeResult fromJson(JsonObject json) {
    return new ProbeResult(
        json.getString("service"),
        json.getBoolean("healthy"),
        json.getInteger("status_code"),
        json.getDouble("response_time_ms"),
        json.getString("error_message"),
        Timestamps.parse(json.getString("checked_at")),
        ReportedStatus.fromJsonName(json.getString("reported_status")).orElse(null),
        components(json.getJsonArray("components")));
  }

  private static List<Component> components(JsonArray json) {
    List<Component> components = new ArrayList<>();
    if (json != null) {
      for (int i = 0; i < json.size(); i++) {
        components.add(Component.fromJson(json.getJsonObject(i)));
      }
    }
    return components;
  }

  /** The result as stored and served by the API: {@link #toEventJson()} without the version. */
  public JsonObject toJson() {
    JsonObject json =
        new JsonObject()
            .put("service", service)
            .put("healthy", healthy)
            .put("status_code", statusCode)
            .put("response_time_ms", responseTimeMs)
            .put("error_message", errorMessage)
            .put("checked_at", Timestamps.format(checkedAt));
    // Only with a document: results of services whose body is not read keep their old shape.
    if (reportedStatus != null) {
      JsonArray componentsJson = new JsonArray();
      components.forEach(component -> componentsJson.add(component.toJson()));
      json.put("reported_status", reportedStatus.jsonName()).put("components", componentsJson);
    }
    return json;
  }

  /** The result as published on {@link EventBusAddresses#PROBE_RESULTS}. */
  @Override
  public JsonObject toEventJson() {
    return MessageSchema.stamp(toJson());
  }
}
