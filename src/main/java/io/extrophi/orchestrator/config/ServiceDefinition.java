package io.extrophi.orchestrator.config;

import io.extrophi.orchestrator.document.DocumentFormat;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

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
 * @param dependsOn the services this one depends on ({@code depends_on}), in the order written; not
 *     part of the check: when one of them is failing too, this service's failure is alerted as part
 *     of theirs (see {@code dependency.RootCauses})
 * @param document how the health document in the body is read, and what its warnings do
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
    ConnectionMode connection,
    List<String> dependsOn,
    DocumentCheck document) {

  public static final String GET = "GET";
  public static final String HEAD = "HEAD";

  static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]*");
  static final Pattern TAG = Pattern.compile("[a-z0-9][a-z0-9_.-]*");
  // RFC 9110 token characters.
  static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

  static final String METHOD_RULE = "must be GET or HEAD";
  static final String HEAD_BODY_RULE = "cannot be checked with method HEAD, which has no body";
  static final String HEADER_NAME_RULE =
      "is not a valid header name: use letters, digits and !#$%&'*+-.^_`|~ only";
  static final String HEADER_VALUE_RULE =
      "must be a string (quote numbers and yes/no/on/off/true/false in YAML)";
  static final String TAG_RULE = "must be a string matching " + TAG.pattern();

  public ServiceDefinition {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(interval, "interval");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(expectedStatus, "expectedStatus");
    headers =
        headers == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    tags = tags == null ? List.of() : List.copyOf(tags);
    tls = tls == null ? ServiceTls.VERIFY : tls;
    alert = alert == null ? ServiceAlert.NONE : alert;
    connection = connection == null ? ConnectionMode.DEFAULT : connection;
    dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
    document = document == null ? DocumentCheck.DEFAULT : document;
  }

  /** A plain GET check expecting any 2xx, with no headers, body condition or tags. */
  public static ServiceDefinition of(String name, String url, Duration interval, Duration timeout) {
    return builder(name, url).interval(interval).timeout(timeout).build();
  }

  /**
   * A plain GET check of {@code url} expecting any 2xx, every 30 s with a 5 s timeout (the
   * documented defaults), until the builder says otherwise.
   */
  public static Builder builder(String name, String url) {
    return new Builder(name, url);
  }

  /** A builder holding every field of this definition, to change some of them. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * What a service entry falls back to for the fields it does not set.
   *
   * @param interval the global check interval ({@code HEALTH_CHECK_INTERVAL})
   * @param timeout the global probe timeout ({@code HEALTH_CHECK_TIMEOUT})
   * @param alertFormat the global alert format ({@code ALERT_FORMAT}), for a webhook of its own
   * @param connection the global connection mode ({@code PROBE_CONNECTION})
   * @param format the global health document format ({@code HEALTH_FORMAT})
   */
  record Defaults(
      Duration interval,
      Duration timeout,
      AlertFormat alertFormat,
      ConnectionMode connection,
      DocumentFormat format) {}

  /**
   * The name of a service entry, after its fields: an unknown field (usually a typo such as {@code
   * timout}) is an error naming the field, so a fleet edit that would silently lose a setting is
   * rejected instead. Read before {@link #from}, so that the list can check names are unique first.
   *
   * @param prefix the entry's key, e.g. {@code services[2]}
   */
  static String nameFrom(ConfigValues values, String prefix, JsonObject entry) {
    values.rejectUnknownFields(prefix, entry, ConfigKeys.SERVICE_FIELDS, "service");
    Object raw = entry.getValue("name");
    if (!(raw instanceof String name) || !NAME.matcher(name).matches()) {
      throw values.invalid(prefix + ".name", raw, "must match " + NAME.pattern());
    }
    return name;
  }

  /**
   * Reads and checks one service entry whose {@link #nameFrom name} is already read. A {@code
   * <NAME>_URL} setting replaces the entry's URL entirely, so the entry's URL is then neither used
   * nor judged.
   *
   * @throws InvalidConfigException naming the first field that breaks its rule
   */
  static ServiceDefinition from(
      ConfigValues values, String prefix, JsonObject entry, String name, Defaults defaults) {
    String urlKey = ConfigKeys.serviceUrlKey(name);
    String url =
        values.has(urlKey)
            ? values.url(urlKey, values.raw(urlKey))
            : values.url(prefix + ".url", entry.getValue("url"));
    ServiceDefinition service =
        new ServiceDefinition(
            name,
            url,
            method(values, prefix, entry),
            entry.containsKey("interval")
                ? values.seconds(prefix + ".interval", entry.getValue("interval"))
                : defaults.interval(),
            entry.containsKey("timeout")
                ? values.seconds(prefix + ".timeout", entry.getValue("timeout"))
                : defaults.timeout(),
            entry.containsKey("expected_status")
                ? StatusRanges.from(
                    values, prefix + ".expected_status", entry.getValue("expected_status"))
                : StatusRanges.SUCCESS,
            headers(values, prefix, entry),
            entry.containsKey("body")
                ? BodyCondition.from(values, prefix + ".body", entry.getValue("body"))
                : null,
            tags(values, prefix, entry),
            ServiceTls.from(values, prefix, entry, url),
            ServiceAlert.from(values, prefix, entry, defaults.alertFormat()),
            entry.containsKey("connection")
                ? ConnectionMode.from(values, prefix + ".connection", entry.getValue("connection"))
                : defaults.connection(),
            dependsOn(values, prefix, entry),
            DocumentCheck.from(values, prefix, entry, defaults.format()));
    // A HEAD response has no body, so a body condition could never hold.
    if (HEAD.equals(service.method()) && service.bodyCondition() != null) {
      throw values.invalid(prefix + ".body", entry.getValue("body"), HEAD_BODY_RULE);
    }
    return service;
  }

  // Case-insensitive like HTTP tooling in general; stored upper-case.
  private static String method(ConfigValues values, String prefix, JsonObject entry) {
    if (!entry.containsKey("method")) {
      return GET;
    }
    Object raw = entry.getValue("method");
    String method = raw instanceof String text ? text.strip().toUpperCase(Locale.ROOT) : null;
    if (!GET.equals(method) && !HEAD.equals(method)) {
      throw values.invalid(prefix + ".method", raw, METHOD_RULE);
    }
    return method;
  }

  private static Map<String, String> headers(ConfigValues values, String prefix, JsonObject entry) {
    String key = prefix + ".headers";
    if (!entry.containsKey("headers")) {
      return Map.of();
    }
    if (!(entry.getValue("headers") instanceof JsonObject raw)) {
      throw values.invalid(
          key, entry.getValue("headers"), "must be a mapping of header names to strings");
    }
    Map<String, String> headers = new LinkedHashMap<>();
    Map<String, String> seen = new HashMap<>();
    for (String header : raw.fieldNames()) {
      String headerKey = key + "." + header;
      if (!HEADER_NAME.matcher(header).matches()) {
        throw values.invalid(headerKey, header, HEADER_NAME_RULE);
      }
      String earlier = seen.putIfAbsent(header.toLowerCase(Locale.ROOT), header);
      if (earlier != null) {
        throw values.invalid(
            headerKey, header, "repeats header " + earlier + " (header names ignore case)");
      }
      Object value = raw.getValue(header);
      if (!(value instanceof String text)) {
        throw values.invalid(headerKey, value, HEADER_VALUE_RULE);
      }
      if (text.chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
        throw values.invalid(headerKey, value, "must not contain line breaks");
      }
      headers.put(header, text.strip());
    }
    return headers;
  }

  // Only the form of each name is judged here; whether it names a configured service, and whether
  // the dependencies form a cycle, needs the whole list (OrchestratorConfig).
  private static List<String> dependsOn(ConfigValues values, String prefix, JsonObject entry) {
    String key = prefix + ".depends_on";
    if (!entry.containsKey("depends_on") || entry.getValue("depends_on") == null) {
      return List.of();
    }
    if (!(entry.getValue("depends_on") instanceof JsonArray raw)) {
      throw values.invalid(
          key, entry.getValue("depends_on"), "must be a list of service names, such as [backend]");
    }
    List<String> names = new ArrayList<>();
    for (int i = 0; i < raw.size(); i++) {
      Object name = raw.getValue(i);
      if (!(name instanceof String text) || !NAME.matcher(text).matches()) {
        throw values.invalid(
            key + "[" + i + "]", name, "must be the name of a service, matching " + NAME.pattern());
      }
      if (names.contains(text)) {
        throw values.invalid(key + "[" + i + "]", name, "repeats an earlier dependency");
      }
      names.add(text);
    }
    return names;
  }

  private static List<String> tags(ConfigValues values, String prefix, JsonObject entry) {
    String key = prefix + ".tags";
    if (!entry.containsKey("tags")) {
      return List.of();
    }
    if (!(entry.getValue("tags") instanceof JsonArray raw)) {
      throw values.invalid(
          key, entry.getValue("tags"), "must be a list of tags, such as [critical]");
    }
    List<String> tags = new ArrayList<>();
    for (int i = 0; i < raw.size(); i++) {
      Object tag = raw.getValue(i);
      if (!(tag instanceof String text) || !TAG.matcher(text).matches()) {
        throw values.invalid(key + "[" + i + "]", tag, TAG_RULE);
      }
      if (tags.contains(text)) {
        throw values.invalid(key + "[" + i + "]", tag, "repeats an earlier tag");
      }
      tags.add(text);
    }
    return tags;
  }

  /**
   * Whether {@code other} checks the service exactly like this one: every field but the alert
   * receiver, which a reload can change without giving the service a fresh circuit.
   */
  public boolean sameCheckAs(ServiceDefinition other) {
    return withoutAlert().equals(other.withoutAlert());
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
    JsonObject check = withoutAlert().toJson();
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

  // The dependencies are no more part of the check than the alert receiver: editing them neither
  // restarts the service's circuit nor changes its fingerprint.
  private ServiceDefinition withoutAlert() {
    return toBuilder().alert(ServiceAlert.NONE).dependsOn(List.of()).build();
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
            .orElse(ConnectionMode.DEFAULT),
        json.getJsonArray("depends_on", new JsonArray()).stream().map(String::valueOf).toList(),
        DocumentCheck.fromJson(json.getJsonObject("document")));
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
    if (!dependsOn.isEmpty()) {
      json.put("depends_on", new JsonArray(dependsOn));
    }
    if (!document.equals(DocumentCheck.DEFAULT)) {
      json.put("document", document.toJson());
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
        + ", dependsOn="
        + dependsOn
        + ", document="
        + document
        + "]";
  }

  /**
   * Builds a {@link ServiceDefinition}; unset fields keep the defaults named at {@link #builder}.
   */
  public static final class Builder {
    private String name;
    private String url;
    private String method = GET;
    private Duration interval = OrchestratorConfig.DEFAULT_CHECK_INTERVAL;
    private Duration timeout = OrchestratorConfig.DEFAULT_CHECK_TIMEOUT;
    private StatusRanges expectedStatus = StatusRanges.SUCCESS;
    private Map<String, String> headers = Map.of();
    private BodyCondition bodyCondition;
    private List<String> tags = List.of();
    private ServiceTls tls = ServiceTls.VERIFY;
    private ServiceAlert alert = ServiceAlert.NONE;
    private ConnectionMode connection = ConnectionMode.DEFAULT;
    private List<String> dependsOn = List.of();
    private DocumentCheck document = DocumentCheck.DEFAULT;

    private Builder(String name, String url) {
      this.name = name;
      this.url = url;
    }

    private Builder(ServiceDefinition service) {
      name = service.name;
      url = service.url;
      method = service.method;
      interval = service.interval;
      timeout = service.timeout;
      expectedStatus = service.expectedStatus;
      headers = service.headers;
      bodyCondition = service.bodyCondition;
      tags = service.tags;
      tls = service.tls;
      alert = service.alert;
      connection = service.connection;
      dependsOn = service.dependsOn;
      document = service.document;
    }

    public Builder name(String name) {
      this.name = name;
      return this;
    }

    public Builder url(String url) {
      this.url = url;
      return this;
    }

    public Builder method(String method) {
      this.method = method;
      return this;
    }

    public Builder interval(Duration interval) {
      this.interval = interval;
      return this;
    }

    public Builder timeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    public Builder expectedStatus(StatusRanges expectedStatus) {
      this.expectedStatus = expectedStatus;
      return this;
    }

    public Builder headers(Map<String, String> headers) {
      this.headers = headers;
      return this;
    }

    /** {@code null} for no body check. */
    public Builder bodyCondition(BodyCondition bodyCondition) {
      this.bodyCondition = bodyCondition;
      return this;
    }

    public Builder tags(List<String> tags) {
      this.tags = tags;
      return this;
    }

    public Builder tls(ServiceTls tls) {
      this.tls = tls;
      return this;
    }

    public Builder alert(ServiceAlert alert) {
      this.alert = alert;
      return this;
    }

    public Builder connection(ConnectionMode connection) {
      this.connection = connection;
      return this;
    }

    /** The services this one depends on, by name. */
    public Builder dependsOn(List<String> dependsOn) {
      this.dependsOn = dependsOn;
      return this;
    }

    public Builder document(DocumentCheck document) {
      this.document = document;
      return this;
    }

    public ServiceDefinition build() {
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
          connection,
          dependsOn,
          document);
    }
  }
}
