package io.extrophi.orchestrator.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the raw {@code services} list and any {@code <NAME>_URL} overrides into validated service
 * definitions, applying the global interval and timeout to services that set none.
 *
 * <p>Strict on purpose: an unknown field (usually a typo such as {@code timout}) is an error naming
 * the field, so a fleet edit that would silently lose a setting is rejected instead.
 */
final class ServiceListValidator {

  private static final Logger LOG = LoggerFactory.getLogger(ServiceListValidator.class);

  static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]*");
  static final Pattern TAG = Pattern.compile("[a-z0-9][a-z0-9_.-]*");
  // RFC 9110 token characters.
  static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

  static final String LIST_RULE = "must be a non-empty list of {name, url} objects";
  static final String METHOD_RULE = "must be GET or HEAD";
  static final String HEAD_BODY_RULE = "cannot be checked with method HEAD, which has no body";
  static final String STATUS_RULE =
      "must be status codes or ranges within 100-599, such as 200, \"200-299,304\" or"
          + " [200, \"300-399\"]";
  static final String HEADER_NAME_RULE =
      "is not a valid header name: use letters, digits and !#$%&'*+-.^_`|~ only";
  static final String HEADER_VALUE_RULE =
      "must be a string (quote numbers and yes/no/on/off/true/false in YAML)";
  static final String BODY_RULE =
      "must set at least one of json_pointer (with equals), contains or matches";
  static final String POINTER_RULE =
      "must be a JSON Pointer: empty or starting with /, with ~ only as ~0 or ~1";
  static final String TAG_RULE = "must be a string matching " + TAG.pattern();

  private final ValueRules rules;

  ServiceListValidator(ValueRules rules) {
    this.rules = rules;
  }

  /**
   * @param interval the global check interval, for services without their own
   * @param timeout the global probe timeout, for services without their own
   * @param alertFormat the global alert format, for service webhooks without their own
   * @param connection the global connection mode, for services without their own
   */
  List<ServiceDefinition> validate(
      JsonObject settings,
      Duration interval,
      Duration timeout,
      AlertFormat alertFormat,
      ConnectionMode connection) {
    Object raw = settings.getValue(ConfigKeys.SERVICES);
    if (!(raw instanceof JsonArray entries) || entries.isEmpty()) {
      throw rules.invalid(ConfigKeys.SERVICES, raw, LIST_RULE);
    }
    List<ServiceDefinition> services = new ArrayList<>();
    List<String> overlapping = new ArrayList<>();
    // Names differing only in '-' versus '_' share one override key, so they must be unique too.
    Map<String, Integer> indexByUrlKey = new HashMap<>();
    for (int index = 0; index < entries.size(); index++) {
      String prefix = ConfigKeys.SERVICES + "[" + index + "]";
      if (!(entries.getValue(index) instanceof JsonObject entry)) {
        throw rules.invalid(prefix, entries.getValue(index), "must be an object with name and url");
      }
      rejectUnknownFields(prefix, entry, ConfigKeys.SERVICE_FIELDS, "service");
      String name = name(prefix + ".name", entry.getValue("name"));
      String urlKey = ConfigKeys.serviceUrlKey(name);
      Integer earlier = indexByUrlKey.putIfAbsent(urlKey, index);
      if (earlier != null) {
        throw rules.invalid(
            prefix + ".name",
            name,
            "must be unique, but "
                + ConfigKeys.SERVICES
                + "["
                + earlier
                + "] already uses it (or the same "
                + urlKey
                + " override)");
      }
      String url = url(settings, urlKey, prefix, entry);
      ServiceDefinition service =
          new ServiceDefinition(
              name,
              url,
              method(prefix, entry),
              entry.containsKey("interval")
                  ? rules.seconds(prefix + ".interval", entry.getValue("interval"))
                  : interval,
              entry.containsKey("timeout")
                  ? rules.seconds(prefix + ".timeout", entry.getValue("timeout"))
                  : timeout,
              expectedStatus(prefix, entry),
              headers(prefix, entry),
              body(prefix, entry),
              tags(prefix, entry),
              tls(prefix, entry, url),
              alert(prefix, entry, alertFormat),
              entry.containsKey("connection")
                  ? rules.connectionMode(prefix + ".connection", entry.getValue("connection"))
                  : connection);
      // A HEAD response has no body, so a body condition could never hold.
      if (ServiceDefinition.HEAD.equals(service.method()) && service.bodyCondition() != null) {
        throw rules.invalid(prefix + ".body", entry.getValue("body"), HEAD_BODY_RULE);
      }
      if (checksMayOverlap(service, entry)) {
        overlapping.add(
            prefix
                + " ("
                + service.name()
                + "): timeout ("
                + service.timeout().toMillis()
                + " ms) is not shorter than interval ("
                + service.interval().toMillis()
                + " ms)");
      }
      services.add(service);
    }
    warnAboutOverlaps(overlapping);
    return services;
  }

  private String name(String key, Object raw) {
    if (!(raw instanceof String name) || !NAME.matcher(name).matches()) {
      throw rules.invalid(key, raw, "must match " + NAME.pattern());
    }
    return name;
  }

  // An override replaces the file's URL entirely, so the file's URL is then neither used nor
  // judged.
  private String url(JsonObject settings, String urlKey, String prefix, JsonObject entry) {
    if (settings.containsKey(urlKey)) {
      return rules.url(urlKey, settings.getValue(urlKey));
    }
    return rules.url(prefix + ".url", entry.getValue("url"));
  }

  // Case-insensitive like HTTP tooling in general; stored upper-case.
  /**
   * {@code tls_ca_file} (a path) and {@code tls_skip_verify} (a boolean), for an {@code https} URL
   * only: on a plain {@code http} URL they would silently do nothing.
   */
  private ServiceTls tls(String prefix, JsonObject entry, String url) {
    String caKey = prefix + ".tls_ca_file";
    String skipKey = prefix + ".tls_skip_verify";
    String caFile = null;
    if (entry.containsKey("tls_ca_file")) {
      Object raw = entry.getValue("tls_ca_file");
      caFile = rules.optionalPath(caKey, raw);
      if (caFile == null) {
        throw rules.invalid(caKey, raw, "must be the path of a PEM file of trusted certificates");
      }
    }
    boolean skipVerify = false;
    if (entry.containsKey("tls_skip_verify")) {
      Object raw = entry.getValue("tls_skip_verify");
      if (!(raw instanceof Boolean flag)) {
        throw rules.invalid(skipKey, raw, "must be true or false");
      }
      skipVerify = flag;
    }
    if (caFile != null && skipVerify) {
      throw rules.invalid(
          skipKey, true, "must not be true together with tls_ca_file (skipping verifies nothing)");
    }
    ServiceTls tls = new ServiceTls(caFile, skipVerify);
    if (!tls.isDefault() && !url.regionMatches(true, 0, "https:", 0, 6)) {
      throw rules.invalid(
          caFile != null ? caKey : skipKey,
          caFile != null ? caFile : true,
          "applies to https URLs only, and url is not one");
    }
    return tls;
  }

  /**
   * {@code alert_webhook} (a URL, or none) and {@code alert_format}, which only makes sense with a
   * webhook: alone it would silently do nothing.
   */
  private ServiceAlert alert(String prefix, JsonObject entry, AlertFormat globalFormat) {
    String webhookKey = prefix + ".alert_webhook";
    String formatKey = prefix + ".alert_format";
    String webhook = rules.optionalUrl(webhookKey, entry.getValue("alert_webhook"));
    AlertFormat format =
        entry.containsKey("alert_format")
            ? rules.alertFormat(formatKey, entry.getValue("alert_format"))
            : globalFormat;
    if (webhook == null && entry.containsKey("alert_format")) {
      throw rules.invalid(
          formatKey, entry.getValue("alert_format"), "applies to alert_webhook, which is not set");
    }
    return webhook == null ? ServiceAlert.NONE : new ServiceAlert(webhook, format);
  }

  private String method(String prefix, JsonObject entry) {
    if (!entry.containsKey("method")) {
      return ServiceDefinition.GET;
    }
    Object raw = entry.getValue("method");
    String method = raw instanceof String text ? text.strip().toUpperCase(Locale.ROOT) : null;
    if (!ServiceDefinition.GET.equals(method) && !ServiceDefinition.HEAD.equals(method)) {
      throw rules.invalid(prefix + ".method", raw, METHOD_RULE);
    }
    return method;
  }

  private StatusRanges expectedStatus(String prefix, JsonObject entry) {
    String key = prefix + ".expected_status";
    if (!entry.containsKey("expected_status")) {
      return StatusRanges.SUCCESS;
    }
    Object raw = entry.getValue("expected_status");
    if (raw instanceof JsonArray items) {
      if (items.isEmpty()) {
        throw rules.invalid(key, raw, STATUS_RULE);
      }
      List<StatusRanges.Range> ranges = new ArrayList<>();
      for (int i = 0; i < items.size(); i++) {
        ranges.addAll(statusItem(key + "[" + i + "]", items.getValue(i)).ranges());
      }
      return new StatusRanges(ranges);
    }
    return statusItem(key, raw);
  }

  private StatusRanges statusItem(String key, Object raw) {
    String text = null;
    if (raw instanceof Integer || raw instanceof Long) {
      text = raw.toString();
    } else if (raw instanceof String string) {
      text = string;
    }
    // String.split drops trailing empty parts, which would let "200," through.
    if (text == null || Stream.of(text.split(",", -1)).anyMatch(String::isBlank)) {
      throw rules.invalid(key, raw, STATUS_RULE);
    }
    try {
      return StatusRanges.parse(text);
    } catch (IllegalArgumentException e) {
      throw rules.invalid(key, raw, STATUS_RULE);
    }
  }

  private Map<String, String> headers(String prefix, JsonObject entry) {
    String key = prefix + ".headers";
    if (!entry.containsKey("headers")) {
      return Map.of();
    }
    if (!(entry.getValue("headers") instanceof JsonObject raw)) {
      throw rules.invalid(
          key, entry.getValue("headers"), "must be a mapping of header names to strings");
    }
    Map<String, String> headers = new LinkedHashMap<>();
    Map<String, String> seen = new HashMap<>();
    for (String name : raw.fieldNames()) {
      String headerKey = key + "." + name;
      if (!HEADER_NAME.matcher(name).matches()) {
        throw rules.invalid(headerKey, name, HEADER_NAME_RULE);
      }
      String earlier = seen.putIfAbsent(name.toLowerCase(Locale.ROOT), name);
      if (earlier != null) {
        throw rules.invalid(
            headerKey, name, "repeats header " + earlier + " (header names ignore case)");
      }
      Object value = raw.getValue(name);
      if (!(value instanceof String text)) {
        throw rules.invalid(headerKey, value, HEADER_VALUE_RULE);
      }
      if (text.chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
        throw rules.invalid(headerKey, value, "must not contain line breaks");
      }
      headers.put(name, text.strip());
    }
    return headers;
  }

  private BodyCondition body(String prefix, JsonObject entry) {
    String key = prefix + ".body";
    if (!entry.containsKey("body")) {
      return null;
    }
    if (!(entry.getValue("body") instanceof JsonObject body)) {
      throw rules.invalid(key, entry.getValue("body"), BODY_RULE);
    }
    rejectUnknownFields(key, body, ConfigKeys.BODY_FIELDS, "body condition");
    if (!body.containsKey("json_pointer")
        && !body.containsKey("contains")
        && !body.containsKey("matches")) {
      throw rules.invalid(key, body, BODY_RULE);
    }
    String pointer = null;
    if (body.containsKey("json_pointer")) {
      pointer = jsonPointer(key + ".json_pointer", body.getValue("json_pointer"));
      if (!body.containsKey("equals")) {
        throw rules.invalid(
            key + ".equals", null, "is required with json_pointer: the value expected there");
      }
    } else if (body.containsKey("equals")) {
      throw rules.invalid(
          key + ".equals",
          body.getValue("equals"),
          "needs json_pointer: the place in the JSON body whose value must equal it");
    }
    String contains = null;
    if (body.containsKey("contains")) {
      Object raw = body.getValue("contains");
      if (!(raw instanceof String text) || text.isEmpty()) {
        throw rules.invalid(key + ".contains", raw, "must be a non-empty string");
      }
      contains = text;
    }
    Pattern matches = null;
    if (body.containsKey("matches")) {
      matches = regex(key + ".matches", body.getValue("matches"));
    }
    return new BodyCondition(pointer, body.getValue("equals"), contains, matches);
  }

  private String jsonPointer(String key, Object raw) {
    if (!(raw instanceof String pointer)
        || !(pointer.isEmpty() || pointer.startsWith("/"))
        || pointer.replace("~0", "").replace("~1", "").contains("~")) {
      throw rules.invalid(key, raw, POINTER_RULE);
    }
    return pointer;
  }

  private Pattern regex(String key, Object raw) {
    if (!(raw instanceof String text) || text.isEmpty()) {
      throw rules.invalid(key, raw, "must be a non-empty regular expression");
    }
    try {
      return Pattern.compile(text);
    } catch (PatternSyntaxException e) {
      throw rules.invalid(
          key,
          raw,
          "must be a valid Java regular expression: "
              + e.getDescription()
              + (e.getIndex() >= 0 ? " near index " + e.getIndex() : ""));
    }
  }

  private List<String> tags(String prefix, JsonObject entry) {
    String key = prefix + ".tags";
    if (!entry.containsKey("tags")) {
      return List.of();
    }
    if (!(entry.getValue("tags") instanceof JsonArray raw)) {
      throw rules.invalid(
          key, entry.getValue("tags"), "must be a list of tags, such as [critical]");
    }
    List<String> tags = new ArrayList<>();
    for (int i = 0; i < raw.size(); i++) {
      Object tag = raw.getValue(i);
      if (!(tag instanceof String text) || !TAG.matcher(text).matches()) {
        throw rules.invalid(key + "[" + i + "]", tag, TAG_RULE);
      }
      if (tags.contains(text)) {
        throw rules.invalid(key + "[" + i + "]", tag, "repeats an earlier tag");
      }
      tags.add(text);
    }
    return tags;
  }

  private void rejectUnknownFields(
      String prefix, JsonObject object, List<String> known, String what) {
    for (String field : object.fieldNames()) {
      if (!known.contains(field)) {
        String suggestion = closest(field, known);
        throw rules.invalid(
            prefix + "." + field,
            object.getValue(field),
            "is not a field of a "
                + what
                + (suggestion == null ? "" : " (did you mean " + suggestion + "?)")
                + "; known fields: "
                + String.join(", ", known));
      }
    }
  }

  // The known field within two edits of a typo, if any.
  static String closest(String field, List<String> known) {
    String best = null;
    int bestDistance = 3;
    for (String candidate : known) {
      int distance = distance(field.toLowerCase(Locale.ROOT), candidate);
      if (distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    return best;
  }

  private static int distance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }

  // The global pair is judged (and warned about) once by ConfigValidator; only a service's own
  // timing earns a warning here.
  private static boolean checksMayOverlap(ServiceDefinition service, JsonObject entry) {
    boolean ownTiming = entry.containsKey("interval") || entry.containsKey("timeout");
    return ownTiming && service.timeout().compareTo(service.interval()) >= 0;
  }

  // One line, however large the fleet: ten thousand services sharing a setting must not mean
  // ten thousand warnings at every reload.
  private static void warnAboutOverlaps(List<String> overlapping) {
    if (overlapping.size() == 1) {
      LOG.warn("{}; checks may overlap", overlapping.get(0));
    } else if (overlapping.size() > 1) {
      LOG.warn(
          "{} services have a timeout not shorter than their interval; checks may overlap: {}{}",
          overlapping.size(),
          String.join("; ", overlapping.subList(0, Math.min(3, overlapping.size()))),
          overlapping.size() > 3 ? "; …" : "");
    }
  }
}
