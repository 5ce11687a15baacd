package io.extrophi.orchestrator.config;

/**
 * A setting, config file, services file or {@code .env} line that cannot be used.
 *
 * <p>The message is a single line naming the key, the offending value, where it came from when
 * known (for a value from a YAML or JSON file: the file and its line, as in {@code
 * (conf/services.yaml line 14)}), and the rule it breaks, because the launcher prints only the
 * message to the operator. {@link #file()} and {@link #line()} expose the location for callers that
 * show it elsewhere, such as a rejected reload.
 */
public final class InvalidConfigException extends RuntimeException {

  private static final long serialVersionUID = 1L;
  private static final String PREFIX = "invalid configuration: ";

  private final String key;
  private final String value;
  private final String rule;
  private final String source;
  private final String file;
  private final Integer line;

  /**
   * A value that breaks a rule.
   *
   * @param key the setting, e.g. {@code HEALTH_CHECK_INTERVAL} or {@code services[1].name}
   * @param value the offending value as text, {@code null} when it is missing
   * @param rule what the value must satisfy, e.g. {@code must be a positive number of seconds}
   * @param source where the value came from, e.g. {@code .env}, or {@code null} when unknown
   */
  public InvalidConfigException(String key, String value, String rule, String source) {
    this(key, value, rule, source, null, null);
  }

  /**
   * A value that breaks a rule, with its place in a file when known; the message then shows {@code
   * (<file> line <n>)} instead of {@code (from <source>)}.
   *
   * @param key the setting, e.g. {@code services[2].timeout}
   * @param value the offending value as text, {@code null} when it is missing
   * @param rule what the value must satisfy
   * @param source where the value came from (a file path, {@code environment}, ...), or {@code
   *     null} when unknown; defaults to {@code file}
   * @param file the file holding the value, or {@code null} when it did not come from a file
   * @param line the 1-based line of the value in {@code file}, or {@code null} when unknown
   */
  public InvalidConfigException(
      String key, String value, String rule, String source, String file, Integer line) {
    this(
        key,
        value,
        rule,
        source == null ? file : source,
        file,
        line,
        key + "=" + render(value) + where(source == null ? file : source, file, line),
        null);
  }

  private InvalidConfigException(
      String key,
      String value,
      String rule,
      String source,
      String file,
      Integer line,
      String subject,
      Throwable cause) {
    super(PREFIX + subject + " " + rule, cause);
    this.key = key;
    this.value = value;
    this.rule = rule;
    this.source = source;
    this.file = file;
    this.line = line;
  }

  /** A {@code .env} line that is not {@code KEY=VALUE}; the key is {@code line <n>}. */
  public static InvalidConfigException malformedLine(
      int lineNumber, String content, String rule, String source) {
    String key = "line " + lineNumber;
    return new InvalidConfigException(
        key,
        content,
        rule,
        source,
        source,
        lineNumber,
        key + " " + render(content) + where(source, null, null),
        null);
  }

  /** A config file that exists but cannot be read or parsed; the key is the file path. */
  public static InvalidConfigException unreadableFile(String path, String rule, Throwable cause) {
    return new InvalidConfigException(path, null, rule, null, path, null, path, cause);
  }

  /**
   * A file that cannot be parsed at a known place, such as a YAML syntax error; the key is the file
   * path. The message reads {@code <path> <rule>}, so {@code rule} should name the line.
   *
   * @param line the 1-based line of the problem, or {@code null} when unknown
   */
  public static InvalidConfigException unparsableFile(
      String path, Integer line, String rule, Throwable cause) {
    return new InvalidConfigException(path, null, rule, null, path, line, path, cause);
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

  /**
   * The file holding the offending value or line (config file, services file, {@code .env}), or
   * {@code null} when it came from the environment, a system property or the built-in defaults.
   */
  public String file() {
    return file;
  }

  /** The 1-based line in {@link #file()}, or {@code null} when unknown. */
  public Integer line() {
    return line;
  }

  private static String where(String source, String file, Integer line) {
    if (file != null && line != null) {
      return " (" + file + " line " + line + ")";
    }
    return source == null ? "" : " (from " + source + ")";
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
