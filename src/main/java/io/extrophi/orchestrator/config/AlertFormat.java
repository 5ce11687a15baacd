package io.extrophi.orchestrator.config;

import java.util.Locale;
import java.util.Optional;

/** The body of an alert webhook request. */
public enum AlertFormat {
  /** The alert as a JSON object with every field (documented in the README). */
  JSON("json"),
  /** {@code {"text":"…"}}: one readable line, accepted by Slack incoming webhooks and clones. */
  SLACK("slack");

  private final String configName;

  AlertFormat(String configName) {
    this.configName = configName;
  }

  static final String RULE = "must be json or slack";

  /** The name used in the configuration: {@code json} or {@code slack}. */
  public String configName() {
    return configName;
  }

  /** The format with this name, ignoring case and surrounding blanks. */
  public static Optional<AlertFormat> parse(String name) {
    String wanted = name.strip().toLowerCase(Locale.ROOT);
    for (AlertFormat format : values()) {
      if (format.configName.equals(wanted)) {
        return Optional.of(format);
      }
    }
    return Optional.empty();
  }

  /** The format a setting names; a value that names none stops start-up. */
  public static AlertFormat from(ConfigValues values, String key, Object raw) {
    return (raw instanceof String text ? parse(text) : Optional.<AlertFormat>empty())
        .orElseThrow(() -> values.invalid(key, raw, RULE));
  }
}
