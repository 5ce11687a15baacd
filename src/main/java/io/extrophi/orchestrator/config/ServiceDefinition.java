package io.extrophi.orchestrator.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One monitored service and its check, with every default already applied (a service without its
 * own {@code interval} carries the global one), so two definitions are equal exactly when their
 * checks are the same. That equality decides what a configuration reload restarts.
 *
 * @param name unique service name, {@code [a-z0-9][a-z0-9_-]*}
 * @param url absolute http or https URL that is probed
 * @param method {@code GET} or {@code HEAD}
 * @param interval time between two scheduled checks of this service
 * @param timeout time after which a probe of this service fails
 * @param expectedStatus status codes that count as healthy (default 200-299)
 * @param headers request headers sent with every probe, in order
 * @param bodyCondition what the body must satisfy, or {@code null} for no body check
 * @param tags labels for filtering ({@code GET /health/status?tag=…})
 * @param tls how an {@code https} probe checks the certificate
 * @param alert the service's own alert receiver, {@link ServiceAlert#NONE} for none; not part of
 *     the check (see {@link #sameCheckAs})
 * @param connection whether each probe opens a new connection or reuses a kept-alive one
 */
public record ServiceDefinition(
    String name,
    String url,
    String method,
    Duration interval,
    Duration timeout,
    StatusRanges expectedStatus,
    Map<String, String> headers,
    BodyCondition bodyCondition,
    List<String> tags,
    ServiceTls tls,
    ServiceAlert alert,
    ConnectionMode connection) {

  public static final String GET = "GET";
  public static final String HEAD = "HEAD";

  public ServiceDefinition {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(interval, "interval");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(expectedStatus, "expectedStatus");
    headers =
        headers == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    tags = tags == null ? List.of() : List.copyOf(tags);
    tls = tls == null ? ServiceTls.VERIFY : tls;
    alert = alert == null ? ServiceAlert.NONE : alert;
    connection = connection == null ? ConnectionMode.DEFAULT : connection;
  }

  /** A definition with the default connection mode. */
  public ServiceDefinition(
      String name,
      String url,
      String method,
      Duration interval,
      Duration timeout,
      StatusRanges expectedStatus,
      Map<String, String> headers,
      BodyCondition bodyCondition,
      List<String> tags,
      ServiceTls tls,
      ServiceAlert alert) {
    this(
        name,
        url,
        method,
        interval,
        timeout,
        expectedStatus,
        headers,
        bodyCondition,
        tags,
        tls,
        alert,
        ConnectionMode.DEFAULT);
  }

  /** A definition without an alert receiver of its own. */
  public ServiceDefinition(
      String name,
      String url,
      String method,
      Duration interval,
      Duration timeout,
      StatusRanges expectedStatus,
      Map<String, String> headers,
      BodyCondition bodyCondition,
      List<String> tags,
      ServiceTls tls) {
    this(
        name,
        url,
        method,
        interval,
        timeout,
        expectedStatus,
        headers,
        bodyCondition,
        tags,
        tls,
        ServiceAlert.NONE);
  }

  /** A definition whose {@code https} probes verify certificates the default way. */
  public ServiceDefinition(
      String name,
      String url,
      String method,
      Duration interval,
      Duration timeout,
      StatusRanges expectedStatus,
      Map<String, String> headers,
      BodyCondition bodyCondition,
      List<String> tags) {
    this(
        name,
        url,
        method,
        interval,
        timeout,
        expectedStatus,
        headers,
        bodyCondition,
        tags,
        ServiceTls.VERIFY);
  }

  /** A plain GET check expecting any 2xx, with no headers, body condition or tags. */
  public static ServiceDefinition of(String name, String url, Duration interval, Duration timeout) {
    return new ServiceDefinition(
        name, url, GET, interval, timeout, StatusRanges.SUCCESS, Map.of(), null, List.of());
  }

  public ServiceDefinition withUrl(String newUrl) {
    return new ServiceDefinition(
        name,
        newUrl,
        method,
        interval,
        timeout,
        expectedStatus,
        headers,
        bodyCondition,
        tags,
        tls,
        alert,
        connection);
  }

  public ServiceDefinition withAlert(ServiceAlert newAlert) {
    return new ServiceDefinition(
        name,
        url,
        method,
        interval,
        timeout,
        expectedStatus,
        headers,
        bodyCondition,
        tags,
        tls,
        newAlert,
        connection);
  }

  /**
   * Whether {@code other} checks the service exactly like this one: every field but the alert
   * receiver, which a reload can change without giving the service a fresh circuit.
   */
  public boolean sameCheckAs(ServiceDefinition other) {
    return withAlert(ServiceAlert.NONE).equals(other.withAlert(ServiceAlert.NONE));
  }

  /**
   * A stable fingerprint of the check, equal for two definitions exactly when {@link #sameCheckAs}
   * holds: the SHA-256 of {@link #toJson()} without the alert receiver, headers sorted by name. The
   * state file keeps it, so that a restart tells whether the saved circuit belongs to this check; a
   * hash, so that no header value (often a credential) is written to disk. A field that joins the
   * check joins {@code toJson()} (the configuration crosses the event bus as that JSON), and so
   * this fingerprint.
   */
  public String checkIdentity() {
    JsonObject check = withAlert(ServiceAlert.NONE).toJson();
    JsonObject sortedHeaders = new JsonObject(new TreeMap<String, Object>(headers));
    check.put("headers", sortedHeaders);
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(check.encode().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException missing) {
      throw new IllegalStateException("every Java platform has SHA-256", missing);
    }
  }

  public ServiceDefinition withTiming(Duration newInterval, Duration newTimeout) {
    return new ServiceDefinition(
        name,
        url,
        method,
        newInterval,
        newTimeout,
        expectedStatus,
        headers,
        bodyCondition,
        tags,
        tls,
        alert,
        connection);
  }

  public ServiceDefinition withConnection(ConnectionMode newConnection) {
    return new ServiceDefinition(
        name,
        url,
        method,
        interval,
        timeout,
        expectedStatus,
        headers,
        bodyCondition,
        tags,
        tls,
        alert,
        newConnection);
  }

  public boolean hasTag(String tag) {
    return tags.contains(tag);
  }

  /** Rebuilds a definition from {@link #toJson()}. */
  public static ServiceDefinition fromJson(JsonObject json) {
    Map<String, String> headers = new LinkedHashMap<>();
    JsonObject headerJson = json.getJsonObject("headers", new JsonObject());
    headerJson.forEach(entry -> headers.put(entry.getKey(), String.valueOf(entry.getValue())));
    JsonObject body = json.getJsonObject("body");
    return new ServiceDefinition(
        json.getString("name"),
        json.getString("url"),
        json.getString("method", GET),
        Duration.ofMillis(json.getLong("interval_ms")),
        Duration.ofMillis(json.getLong("timeout_ms")),
        StatusRanges.fromJson(json.getJsonArray("expected_status")),
        headers,
        body == null ? null : BodyCondition.fromJson(body),
        json.getJsonArray("tags", new JsonArray()).stream().map(String::valueOf).toList(),
        ServiceTls.fromJson(json.getJsonObject("tls")),
        ServiceAlert.fromJson(json.getJsonObject("alert")),
        ConnectionMode.parse(json.getString("connection", ConnectionMode.DEFAULT.configName()))
            .orElse(ConnectionMode.DEFAULT));
  }

  public JsonObject toJson() {
    JsonObject headerJson = new JsonObject();
    headers.forEach(headerJson::put);
    JsonObject json =
        new JsonObject()
            .put("name", name)
            .put("url", url)
            .put("method", method)
            .put("interval_ms", interval.toMillis())
            .put("timeout_ms", timeout.toMillis())
            .put("expected_status", expectedStatus.toJson())
            .put("headers", headerJson)
            .put("tags", new JsonArray(tags))
            .put("connection", connection.configName());
    if (bodyCondition != null) {
      json.put("body", bodyCondition.toJson());
    }
    if (!tls.isDefault()) {
      json.put("tls", tls.toJson());
    }
    if (!alert.isNone()) {
      json.put("alert", alert.toJson());
    }
    return json;
  }

  /**
   * Like the record's, with the header values masked: headers often carry credentials ({@code
   * Authorization}, API keys), and a definition may be logged. The alert webhook masks itself.
   */
  @Override
  public String toString() {
    Map<String, String> masked = new LinkedHashMap<>();
    headers.keySet().forEach(header -> masked.put(header, "***"));
    return "ServiceDefinition[name="
        + name
        + ", url="
        + url
        + ", method="
        + method
        + ", interval="
        + interval
        + ", timeout="
        + timeout
        + ", expectedStatus="
        + expectedStatus
        + ", headers="
        + masked
        + ", bodyCondition="
        + bodyCondition
        + ", tags="
        + tags
        + ", tls="
        + tls
        + ", alert="
        + alert
        + ", connection="
        + connection.configName()
        + "]";
  }
}
