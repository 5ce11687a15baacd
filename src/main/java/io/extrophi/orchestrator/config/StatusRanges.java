package io.extrophi.orchestrator.config;

import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

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
