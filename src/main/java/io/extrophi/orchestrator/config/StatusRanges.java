package io.extrophi.orchestrator.config;

import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The HTTP status codes that count as healthy for a service, as inclusive ranges. Written in
 * configuration as codes and ranges: {@code [200, "300-399"]} or {@code "200-299,304"}.
 */
public record StatusRanges(List<Range> ranges) {

  /** One inclusive range of status codes; a single code has {@code from == to}. */
  public record Range(int from, int to) {
    public Range {
      if (from < 100 || to > 599 || from > to) {
        throw new IllegalArgumentException(
            "status range must lie within 100-599: " + from + "-" + to);
      }
    }

    @Override
    public String toString() {
      return from == to ? Integer.toString(from) : from + "-" + to;
    }
  }

  static final String STATUS_RULE =
      "must be status codes or ranges within 100-599, such as 200, \"200-299,304\" or"
          + " [200, \"300-399\"]";

  /** Any 2xx, the default. */
  public static final StatusRanges SUCCESS = new StatusRanges(List.of(new Range(200, 299)));

  public StatusRanges {
    ranges = List.copyOf(Objects.requireNonNull(ranges, "ranges"));
    if (ranges.isEmpty()) {
      throw new IllegalArgumentException("at least one status range is needed");
    }
  }

  public boolean contains(int status) {
    for (Range range : ranges) {
      if (status >= range.from && status <= range.to) {
        return true;
      }
    }
    return false;
  }

  /**
   * Parses {@code "200"}, {@code "200-299"} or a comma-separated list of them.
   *
   * @throws IllegalArgumentException when the text is not of that form or out of 100-599
   */
  public static StatusRanges parse(String text) {
    List<Range> parsed = new ArrayList<>();
    for (String part : text.split(",")) {
      parsed.addAll(parseItem(part.strip()).ranges());
    }
    return new StatusRanges(parsed);
  }

  /**
   * Reads a service's {@code expected_status}: a code, a range, a comma-separated string of them,
   * or a non-empty list of those.
   *
   * @throws InvalidConfigException naming {@code key} (or the list item) when the value is none of
   *     these
   */
  static StatusRanges from(ConfigValues values, String key, Object raw) {
    if (raw instanceof JsonArray items) {
      if (items.isEmpty()) {
        throw values.invalid(key, raw, STATUS_RULE);
      }
      List<Range> ranges = new ArrayList<>();
      for (int i = 0; i < items.size(); i++) {
        ranges.addAll(item(values, key + "[" + i + "]", items.getValue(i)).ranges());
      }
      return new StatusRanges(ranges);
    }
    return item(values, key, raw);
  }

  private static StatusRanges item(ConfigValues values, String key, Object raw) {
    String text = null;
    if (raw instanceof Integer || raw instanceof Long) {
      text = raw.toString();
    } else if (raw instanceof String string) {
      text = string;
    }
    // String.split drops trailing empty parts, which would let "200," through.
    if (text == null || Stream.of(text.split(",", -1)).anyMatch(String::isBlank)) {
      throw values.invalid(key, raw, STATUS_RULE);
    }
    try {
      return parse(text);
    } catch (IllegalArgumentException e) {
      throw values.invalid(key, raw, STATUS_RULE);
    }
  }

  /** Reads the JSON form written by {@link #toJson()}: an array of codes and range strings. */
  public static StatusRanges fromJson(JsonArray json) {
    List<Range> parsed = new ArrayList<>();
    for (Object item : json) {
      parsed.addAll(parse(String.valueOf(item)).ranges());
    }
    return new StatusRanges(parsed);
  }

  public JsonArray toJson() {
    JsonArray json = new JsonArray();
    ranges.forEach(range -> json.add(range.toString()));
    return json;
  }

  @Override
  public String toString() {
    return String.join(",", ranges.stream().map(Range::toString).toList());
  }

  private static StatusRanges parseItem(String item) {
    if (!item.matches("\\d{3}(\\s*-\\s*\\d{3})?")) {
      throw new IllegalArgumentException("not a status code or range: " + item);
    }
    String[] bounds = item.split("\\s*-\\s*");
    int from = Integer.parseInt(bounds[0]);
    int to = bounds.length == 2 ? Integer.parseInt(bounds[1]) : from;
    return new StatusRanges(List.of(new Range(from, to)));
  }
}
