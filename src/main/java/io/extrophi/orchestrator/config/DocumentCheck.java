package io.extrophi.orchestrator.config;

import io.extrophi.orchestrator.document.DocumentFormat;
import io.extrophi.orchestrator.document.WarnOn;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * How a service's health document is read and what its warnings do.
 *
 * @param format how the body is read ({@code format}); the global {@code HEALTH_FORMAT} unless set
 * @param warnOn the reported statuses that are warnings ({@code warn_on})
 * @param alertOnWarn whether a warning alerts like a failure does ({@code alert_on_warn})
 */
public record DocumentCheck(DocumentFormat format, WarnOn warnOn, boolean alertOnWarn) {

  /** {@code auto}, warnings on {@code warn} and {@code OUT_OF_SERVICE}, no alert for them. */
  public static final DocumentCheck DEFAULT =
      new DocumentCheck(DocumentFormat.DEFAULT, WarnOn.DEFAULT, false);

  static final String WARN_ON_RULE =
      "must be a list of reported statuses, such as [warn, OUT_OF_SERVICE]";

  public DocumentCheck {
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(warnOn, "warnOn");
  }

  /** This check with another format. */
  public DocumentCheck withFormat(DocumentFormat other) {
    return new DocumentCheck(other, warnOn, alertOnWarn);
  }

  /** The global {@code HEALTH_FORMAT}: the format of services that set none. */
  static DocumentFormat defaultFormat(ConfigValues values) {
    return values.has(ConfigKeys.HEALTH_FORMAT)
        ? format(values, ConfigKeys.HEALTH_FORMAT, values.raw(ConfigKeys.HEALTH_FORMAT))
        : DocumentFormat.DEFAULT;
  }

  /**
   * Reads a service's {@code format}, {@code warn_on} and {@code alert_on_warn}.
   *
   * @throws InvalidConfigException naming the first field that breaks its rule
   */
  static DocumentCheck from(
      ConfigValues values, String prefix, JsonObject entry, DocumentFormat defaultFormat) {
    DocumentFormat format =
        entry.containsKey("format")
            ? format(values, prefix + ".format", entry.getValue("format"))
            : defaultFormat;
    WarnOn warnOn =
        entry.containsKey("warn_on")
            ? warnOn(values, prefix + ".warn_on", entry.getValue("warn_on"))
            : WarnOn.DEFAULT;
    boolean alertOnWarn = false;
    if (entry.containsKey("alert_on_warn")) {
      Object raw = entry.getValue("alert_on_warn");
      if (!(raw instanceof Boolean flag)) {
        throw values.invalid(prefix + ".alert_on_warn", raw, "must be true or false");
      }
      alertOnWarn = flag;
    }
    return new DocumentCheck(format, warnOn, alertOnWarn);
  }

  private static DocumentFormat format(ConfigValues values, String key, Object raw) {
    return (raw instanceof String text
            ? DocumentFormat.parse(text)
            : Optional.<DocumentFormat>empty())
        .orElseThrow(() -> values.invalid(key, raw, DocumentFormat.RULE));
  }

  private static WarnOn warnOn(ConfigValues values, String key, Object raw) {
    if (!(raw instanceof JsonArray list)) {
      throw values.invalid(key, raw, WARN_ON_RULE);
    }
    List<String> statuses = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      Object item = list.getValue(i);
      String itemKey = key + "[" + i + "]";
      if (!(item instanceof String text) || text.isBlank()) {
        throw values.invalid(itemKey, item, "must be a non-empty string, such as OUT_OF_SERVICE");
      }
      String status = text.strip();
      if (WarnOn.PASSING.contains(status.toLowerCase(Locale.ROOT))) {
        throw values.invalid(itemKey, item, "passes anyway: list statuses that are not up");
      }
      if (statuses.stream().anyMatch(status::equalsIgnoreCase)) {
        throw values.invalid(itemKey, item, "repeats an earlier status (statuses ignore case)");
      }
      statuses.add(status);
    }
    return new WarnOn(statuses);
  }

  public static DocumentCheck fromJson(JsonObject json) {
    if (json == null) {
      return DEFAULT;
    }
    List<String> statuses = new ArrayList<>();
    json.getJsonArray("warn_on", new JsonArray(WarnOn.DEFAULT.statuses()))
        .forEach(status -> statuses.add(String.valueOf(status)));
    return new DocumentCheck(
        DocumentFormat.parse(json.getString("format", DocumentFormat.DEFAULT.configName()))
            .orElse(DocumentFormat.DEFAULT),
        new WarnOn(statuses),
        json.getBoolean("alert_on_warn", false));
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("format", format.configName())
        .put("warn_on", new JsonArray(warnOn.statuses()))
        .put("alert_on_warn", alertOnWarn);
  }
}
