package io.extrophi.orchestrator.view;

import io.extrophi.orchestrator.bus.CircuitState;
import io.extrophi.orchestrator.bus.HealthState;
import io.extrophi.orchestrator.bus.MessageSchema;
import io.extrophi.orchestrator.bus.ProbeResult;
import io.extrophi.orchestrator.config.CheckView;
import io.extrophi.orchestrator.config.ServiceDefinition;
import io.extrophi.orchestrator.document.Component;
import io.extrophi.orchestrator.stats.Availability;
import io.extrophi.orchestrator.stats.Percentiles;
import io.extrophi.orchestrator.time.Timestamps;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one place where the status model becomes the JSON the API serves: the body of {@code GET
 * /health/status} (also the event stream's snapshots and, without the overall health, the answer of
 * {@code POST /health/trigger}), of {@code GET /health/status/{name}} and of {@code GET
 * /health/history/{name}}. Nothing else writes these documents; the status side only decides when
 * they are written (once per change, see {@link Service#encodedJson}) and the HTTP side serves the
 * bytes ({@link StatusReadModel}).
 *
 * <p><b>Adding a field to a service</b> (what {@code GET /health/status}, {@code GET
 * /health/status/{name}}, the trigger answer and the event stream all show per service): give
 * {@link Service} a method that returns it, implement it in {@code status/ServiceStatus}, and put
 * it in {@link #service} after the existing keys. Every document above takes it from there, the
 * encoded and the object paths alike; document it in {@code openapi.yaml}. A field of the whole
 * document goes into {@link #snapshot} and {@link #encodeFleet} side by side.
 *
 * <p>Plain logic: no Vert.x instance, no clock.
 */
public final class StatusJson {

  /** How long a service's JSON may be served unchanged: the time windows move meanwhile. */
  public static final long MAX_AGE_MS = 1_000;

  private static final byte[] SERVICES_OPENING = bytes("\",\"services\":{");
  private static final byte[] COMMA = bytes(",");
  private static final byte[] COLON = bytes(":");

  /** What the JSON of one service is made of: what the status side knows of it. */
  public interface Service {

    String name();

    HealthState health();

    /** The latest probe result, {@code null} before the first. */
    ProbeResult lastResult();

    int consecutiveFailures();

    long totalChecks();

    long successfulChecks();

    /** Successful checks as a percentage of all checks, two decimals; 0.0 before the first. */
    double uptimePercentage();

    CircuitState circuitState();

    /**
     * The failing service that takes this one down (it fails while a service it depends on,
     * directly or through other failing services, fails); {@code null} when it is healthy or its
     * own root cause.
     */
    String rootCause();

    /** The latency percentiles of the window ending at {@code nowMillis}. */
    Percentiles latency(long nowMillis);

    /** The availability windows ending at {@code nowMillis}. */
    Availability availability(long nowMillis);

    /**
     * {@link StatusJson#service} as UTF-8 bytes, kept by the service between two changes (for at
     * most {@link #MAX_AGE_MS}) so that a snapshot does not encode every service again.
     */
    byte[] encodedJson(long nowMillis);

    /** The name as an encoded JSON string, the key of this service in the snapshot. */
    byte[] encodedName();
  }

  private StatusJson() {}

  /**
   * The per-service JSON of {@code GET /health/status}: the documented keys of the original design,
   * then {@code latency}, {@code availability} and {@code root_cause}.
   */
  public static JsonObject service(Service status, long nowMillis) {
    ProbeResult last = status.lastResult();
    Instant lastCheck = last == null ? null : last.checkedAt();
    return new JsonObject()
        .put("health", status.health().jsonName())
        .put("last_check", lastCheck == null ? null : Timestamps.format(lastCheck))
        .put("response_time_ms", last == null ? null : last.responseTimeMs())
        .put("error_message", last == null ? null : last.errorMessage())
        .put("consecutive_failures", status.consecutiveFailures())
        .put("total_checks", status.totalChecks())
        .put("successful_checks", status.successfulChecks())
        .put("uptime_percentage", status.uptimePercentage())
        .put("circuit_breaker_state", status.circuitState().jsonName())
        .put("latency", status.latency(nowMillis).toJson())
        .put("availability", status.availability(nowMillis).toJson())
        .put("root_cause", status.rootCause())
        .put("reported_status", reportedStatus(last))
        .put("components", components(last));
  }

  /**
   * The body of {@code GET /health/components}: per component path (sorted), the services whose
   * last health document has it failing, warning and passing, each list in fleet order.
   */
  public static JsonObject components(Iterable<? extends Service> fleet) {
    Map<String, JsonObject> byPath = new TreeMap<>();
    for (Service status : fleet) {
      ProbeResult last = status.lastResult();
      if (last == null) {
        continue;
      }
      for (Component component : last.components()) {
        String list =
            switch (component.status()) {
              case FAIL -> "failing";
              case WARN -> "warning";
              case PASS -> "passing";
            };
        byPath
            .computeIfAbsent(
                component.path(),
                path ->
                    new JsonObject()
                        .put("failing", new JsonArray())
                        .put("warning", new JsonArray())
                        .put("passing", new JsonArray()))
            .getJsonArray(list)
            .add(status.name());
      }
    }
    JsonObject components = new JsonObject();
    byPath.forEach(components::put);
    return new JsonObject().put("components", components);
  }

  /** The service's own verdict from its last health document; {@code null} without one. */
  private static String reportedStatus(ProbeResult last) {
    return last == null || last.reportedStatus() == null ? null : last.reportedStatus().jsonName();
  }

  private static JsonArray components(ProbeResult last) {
    JsonArray components = new JsonArray();
    if (last != null) {
      last.components().forEach(component -> components.add(component.toJson()));
    }
    return components;
  }

  /** {@link #service} as UTF-8 bytes, for {@link Service#encodedJson} to keep. */
  public static byte[] encodeService(Service status, long nowMillis) {
    return service(status, nowMillis).toBuffer().getBytes();
  }

  /** The name as an encoded JSON string, for {@link Service#encodedName} to keep. */
  public static byte[] encodeName(String name) {
    return bytes(Json.encode(name));
  }

  /** A service's JSON as a new object, read from the bytes it keeps. */
  public static JsonObject serviceObject(Service status, long nowMillis) {
    return new JsonObject(Buffer.buffer(status.encodedJson(nowMillis)));
  }

  /**
   * The body of {@code GET /health/status} as JSON objects (for the event bus, a tag's filter).
   *
   * @param services the services shown, in configured order
   * @param overallHealth the overall health of those services, as its JSON name
   * @param configError why the last reload was rejected, {@code null} when it was not
   */
  public static JsonObject snapshot(
      Instant now, Iterable<? extends Service> services, String overallHealth, String configError) {
    JsonObject servicesJson = new JsonObject();
    long nowMillis = now.toEpochMilli();
    services.forEach(status -> servicesJson.put(status.name(), serviceObject(status, nowMillis)));
    JsonObject snapshot =
        new JsonObject()
            .put("timestamp", Timestamps.format(now))
            .put("services", servicesJson)
            .put("overall_health", overallHealth);
    if (configError != null) {
      snapshot.put("config_error", configError);
    }
    return snapshot;
  }

  /**
   * {@link #snapshot} as the bytes it would encode to, built from each service's kept bytes (only
   * encoded again after the service changed).
   *
   * @param overallHealth {@code null} for the answer of {@code POST /health/trigger}, which has
   *     neither the overall health nor the configuration error
   */
  public static EncodedSnapshot encodeFleet(
      long nowMillis,
      Iterable<? extends Service> services,
      String overallHealth,
      String configError) {
    return encode(nowMillis, services, overallHealth, configError, null);
  }

  /**
   * One page of {@code GET /health/status?limit=…}: {@link #encodeFleet} followed by {@code
   * next_cursor}, the cursor of the page after it or {@code null} after the last page.
   */
  public static EncodedSnapshot encodePage(
      long nowMillis,
      Iterable<? extends Service> services,
      String overallHealth,
      String configError,
      String nextCursor) {
    return encode(
        nowMillis,
        services,
        overallHealth,
        configError,
        ",\"next_cursor\":" + (nextCursor == null ? "null" : Json.encode(nextCursor)));
  }

  private static EncodedSnapshot encode(
      long nowMillis,
      Iterable<? extends Service> services,
      String overallHealth,
      String configError,
      String pageFields) {
    FleetEncoder encoder = new FleetEncoder(nowMillis);
    services.forEach(encoder::add);
    return encoder.finish(overallHealth, configError, pageFields);
  }

  /**
   * {@link #encodeFleet} one service at a time, so that a large fleet can be encoded over several
   * turns of an event loop: each service as it is when it is added.
   */
  public static final class FleetEncoder {

    private final long nowMillis;
    private final List<byte[]> parts = new ArrayList<>();

    public FleetEncoder(long nowMillis) {
      this.nowMillis = nowMillis;
      parts.add(SERVICES_OPENING);
    }

    public void add(Service status) {
      if (parts.size() > 1) {
        parts.add(COMMA);
      }
      parts.add(status.encodedName());
      parts.add(COLON);
      parts.add(status.encodedJson(nowMillis));
    }

    /**
     * The snapshot of the services added, as {@link #encodeFleet} encodes it.
     *
     * @param pageFields what follows the services in a page ({@code next_cursor}), or {@code null}
     */
    public EncodedSnapshot finish(String overallHealth, String configError, String pageFields) {
      StringBuilder closing = new StringBuilder("}");
      if (overallHealth != null) {
        closing.append(",\"overall_health\":").append(Json.encode(overallHealth));
        if (configError != null) {
          closing.append(",\"config_error\":").append(Json.encode(configError));
        }
      }
      if (pageFields != null) {
        closing.append(pageFields);
      }
      parts.add(bytes(closing.append('}').toString()));
      return new EncodedSnapshot(parts, nowMillis);
    }
  }

  /** The body of {@code GET /health/status/{name}}: its status and its check. */
  public static JsonObject serviceSnapshot(
      Instant now, Service status, ServiceDefinition definition) {
    return new JsonObject()
        .put("timestamp", Timestamps.format(now))
        .put("name", status.name())
        .mergeIn(serviceObject(status, now.toEpochMilli()))
        .put("check", CheckView.of(definition));
  }

  /** The body of {@code GET /health/history/{name}}: its latest results, oldest first. */
  public static JsonObject history(String name, Iterable<ProbeResult> results) {
    JsonArray array = new JsonArray();
    results.forEach(result -> array.add(result.toJson()));
    return new JsonObject()
        .put(MessageSchema.FIELD, MessageSchema.VERSION)
        .put("name", name)
        .put("results", array);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
