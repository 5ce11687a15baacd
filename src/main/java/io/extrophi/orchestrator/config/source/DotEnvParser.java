package io.extrophi.orchestrator.config.source;

import io.extrophi.orchestrator.config.InvalidConfigException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Parses the text of a {@code .env} file into ordered key/value pairs.
 *
 * <p>Accepts what people actually write: blank lines, {@code #} comment lines, trailing {@code #
 * comments} after whitespace, an optional {@code export} prefix, whitespace around key and {@code
 * =}, and single or double quotes. A {@code #} glued to the value (a URL fragment) is kept. Later
 * duplicates win, as in a shell. Anything else is rejected rather than guessed at, naming the line.
 */
public final class DotEnvParser {

  private static final Pattern EXPORT_PREFIX = Pattern.compile("^export\\s+");
  private static final Pattern VALID_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");

  private DotEnvParser() {}

  /** Parses {@code content}; errors carry no source. */
  public static Map<String, String> parse(String content) {
    return parse(content, null);
  }

  /**
   * Parses {@code content}.
   *
   * @param source the file name used in error messages, or {@code null}
   * @return keys in order of first appearance, mapped to their last value
   * @throws InvalidConfigException on a malformed line, naming its 1-based number and content
   */
  public static Map<String, String> parse(String content, String source) {
    Map<String, String> entries = new LinkedHashMap<>();
    List<String> lines = stripByteOrderMark(content).lines().toList();
    for (int index = 0; index < lines.size(); index++) {
      String line = lines.get(index);
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      try {
        parseLine(trimmed, entries);
      } catch (LineException e) {
        throw InvalidConfigException.malformedLine(index + 1, line, e.getMessage(), source);
      }
    }
    return Collections.unmodifiableMap(entries);
  }

  private static void parseLine(String line, Map<String, String> entries) {
    String assignment = EXPORT_PREFIX.matcher(line).replaceFirst("");
    int equals = assignment.indexOf('=');
    if (equals < 0) {
      throw new LineException("must be KEY=VALUE");
    }
    String key = assignment.substring(0, equals).strip();
    if (key.isEmpty()) {
      throw new LineException("has an empty key");
    }
    if (!VALID_KEY.matcher(key).matches()) {
      throw new LineException("has an invalid key (letters, digits and underscores only)");
    }
    entries.put(key, parseValue(assignment.substring(equals + 1)));
  }

  private static String parseValue(String raw) {
    String value = raw.stripLeading();
    if (value.startsWith("\"") || value.startsWith("'")) {
      return parseQuoted(value);
    }
    // The raw text keeps its leading whitespace so that "KEY= # note" reads as an empty value.
    return stripInlineComment(raw).strip();
  }

  private static String parseQuoted(String value) {
    char quote = value.charAt(0);
    StringBuilder out = new StringBuilder();
    int position = 1;
    while (position < value.length()) {
      char c = value.charAt(position);
      if (c == quote) {
        requireOnlyCommentAfter(value.substring(position + 1));
        return out.toString();
      }
      // Only double quotes process escapes, matching shell and common dotenv behaviour.
      if (quote == '"' && c == '\\' && position + 1 < value.length()) {
        char next = value.charAt(position + 1);
        switch (next) {
          case '"', '\\' -> out.append(next);
          case 'n' -> out.append('\n');
          default -> out.append(c).append(next);
        }
        position += 2;
        continue;
      }
      out.append(c);
      position++;
    }
    throw new LineException("has an unterminated " + quote + " quote");
  }

  private static void requireOnlyCommentAfter(String rest) {
    String trimmed = rest.strip();
    if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
      throw new LineException("has text after the closing quote");
    }
  }

  // A '#' starts a comment only after whitespace, so URL fragments such as /health#x survive.
  private static String stripInlineComment(String value) {
    for (int i = 1; i < value.length(); i++) {
      if (value.charAt(i) == '#' && Character.isWhitespace(value.charAt(i - 1))) {
        return value.substring(0, i);
      }
    }
    return value;
  }

  private static String stripByteOrderMark(String content) {
    return content.startsWith("\uFEFF") ? content.substring(1) : content;
  }

  /** Carries the broken rule of one line up to where the line number is known. */
  private static final class LineException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    LineException(String rule) {
      super(rule, null, false, false);
    }
  }
}
