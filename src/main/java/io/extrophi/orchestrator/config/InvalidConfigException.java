package io.extrophi.orchestrator.config;

/**
 * A setting, config file or {@code .env} line that cannot be used.
 *
 * <p>The message is a single line naming the key, the offending value, where it came from when
 * known, and the rule it breaks, because the launcher prints only the message to the operator.
 */
public final class InvalidConfigException extends RuntimeException {

  private static final long serialVersionUID = 1L;
  private static final String PREFIX = "invalid configuration: ";

  private final String key;
  private final String value;
  private final String rule;
  private final String source;

  /**
   * A value that breaks a rule.
   *
   * @param key the setting, e.g. {@code HEALTH_CHECK_INTERVAL} or {@code services[1].name}
   * @param value the offending value as text, {@code null} when it is missing
   * @param rule what the value must satisfy, e.g. {@code must be a positive number of seconds}
   * @param source where the value came from, e.g. {@code .env}, or {@code null} when unknown
   */
  public InvalidConfigException(String key, String value, String rule, String source) {
    this(key, value, rule, source, key + "=" + render(value), null);
  }

  private InvalidConfigException(
      String key, String value, String rule, String source, String subject, Throwable cause) {
    super(PREFIX + subject + (source == null ? "" : " (from " + source + ")") + " " + rule, cause);
    this.key = key;
    this.value = value;
    this.rule = rule;
    this.source = source;
  }

  /** A {@code .env} line that is not {@code KEY=VALUE}; the key is {@code line <n>}. */
  public static InvalidConfigException malformedLine(
      int lineNumber, String content, String rule, String source) {
    String key = "line " + lineNumber;
    return new InvalidConfigException(
        key, content, rule, source, key + " " + render(content), null);
  }

  /** A config file that exists but cannot be parsed; the key is the file path. */
  public static InvalidConfigException unreadableFile(String path, String rule, Throwable cause) {
    return new InvalidConfigException(path, null, rule, null, path, cause);
  }

  public String key() {
    return key;
  }

  /** The offending value, or {@code null} when the setting was missing or a whole file failed. */
  public String value() {
    return value;
  }

  public String rule() {
    return rule;
  }

  /** Where the value came from, or {@code null} when unknown. */
  public String source() {
    return source;
  }

  // Escapes line breaks so a hostile or sloppy value cannot split the one-line message.
  private static String render(String value) {
    if (value == null) {
      return "<missing>";
    }
    StringBuilder out = new StringBuilder(value.length() + 2).append('"');
    for (char c : value.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> out.append(Character.isISOControl(c) ? ' ' : c);
      }
    }
    return out.append('"').toString();
  }
}
