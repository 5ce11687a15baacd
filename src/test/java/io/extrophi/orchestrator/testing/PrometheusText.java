package io.extrophi.orchestrator.testing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format (version 0.0.4), as a scraper reads it:
 * every line is a {@code # HELP}, a {@code # TYPE} or a sample; every sample belongs to a family
 * declared by a {@code # TYPE} line before it; names and label names follow the Prometheus rules;
 * no series appears twice. Anything else fails with the line.
 */
public final class PrometheusText {

  /** One sample: {@code name{labels} value}. */
  public record Sample(String name, Map<String, String> labels, double value) {}

  private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
  private static final Pattern SAMPLE =
      Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})? (\\S+)( -?[0-9]+)?");
  private static final Pattern LABEL =
      Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\[\\\\\"n])*)\",?");
  private static final Set<String> TYPES =
      Set.of("counter", "gauge", "histogram", "summary", "untyped");
  private static final List<String> SUFFIXES = List.of("_bucket", "_count", "_sum");

  private final List<Sample> samples;
  private final Map<String, String> types;

  private PrometheusText(List<Sample> samples, Map<String, String> types) {
    this.samples = samples;
    this.types = types;
  }

  /**
   * @throws IllegalArgumentException at the first line that a scraper would reject
   */
  public static PrometheusText parse(String text) {
    List<Sample> samples = new ArrayList<>();
    Map<String, String> types = new LinkedHashMap<>();
    Set<String> series = new HashSet<>();
    String[] lines = text.split("\n", -1);
    if (!text.endsWith("\n")) {
      throw new IllegalArgumentException("the exposition does not end with a line feed");
    }
    for (int i = 0; i < lines.length - 1; i++) {
      String line = lines[i];
      String where = "line " + (i + 1) + ": " + line;
      if (line.startsWith("# TYPE ")) {
        String[] parts = line.split(" ");
        require(parts.length == 4 && NAME.matcher(parts[2]).matches(), where);
        require(TYPES.contains(parts[3]), where);
        require(types.put(parts[2], parts[3]) == null, "family declared twice, " + where);
      } else if (line.startsWith("# HELP ")) {
        require(NAME.matcher(line.split(" ")[2]).matches(), where);
      } else if (line.startsWith("#")) {
        throw new IllegalArgumentException("unknown comment, " + where);
      } else {
        Matcher matcher = SAMPLE.matcher(line);
        require(matcher.matches(), where);
        String name = matcher.group(1);
        require(types.containsKey(family(name, types)), "sample before its # TYPE, " + where);
        Map<String, String> labels = labels(matcher.group(3), where);
        double value = value(matcher.group(4), where);
        require(series.add(name + labels), "series repeated, " + where);
        samples.add(new Sample(name, labels, value));
      }
    }
    return new PrometheusText(samples, types);
  }

  private static String family(String name, Map<String, String> types) {
    if (types.containsKey(name)) {
      return name;
    }
    for (String suffix : SUFFIXES) {
      if (name.endsWith(suffix)) {
        return name.substring(0, name.length() - suffix.length());
      }
    }
    return name;
  }

  private static Map<String, String> labels(String text, String where) {
    Map<String, String> labels = new LinkedHashMap<>();
    if (text == null || text.isEmpty()) {
      return labels;
    }
    Matcher matcher = LABEL.matcher(text);
    int end = 0;
    while (matcher.find() && matcher.start() == end) {
      require(LABEL_NAME.matcher(matcher.group(1)).matches(), where);
      require(!matcher.group(1).startsWith("__"), "reserved label name, " + where);
      require(labels.put(matcher.group(1), matcher.group(2)) == null, "label twice, " + where);
      end = matcher.end();
    }
    require(end == text.length(), "bad labels, " + where);
    return labels;
  }

  private static double value(String text, String where) {
    switch (text) {
      case "+Inf":
        return Double.POSITIVE_INFINITY;
      case "-Inf":
        return Double.NEGATIVE_INFINITY;
      case "NaN":
        return Double.NaN;
      default:
        try {
          return Double.parseDouble(text);
        } catch (NumberFormatException notANumber) {
          throw new IllegalArgumentException("bad value, " + where);
        }
    }
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }

  public List<Sample> samples() {
    return samples;
  }

  /** The declared type of a family, e.g. {@code counter}. */
  public Optional<String> type(String family) {
    return Optional.ofNullable(types.get(family));
  }

  /** The samples of one name. */
  public List<Sample> named(String name) {
    return samples.stream().filter(sample -> sample.name().equals(name)).toList();
  }

  /** The value of the one sample of {@code name} whose labels include {@code labels}. */
  public double value(String name, Map<String, String> labels) {
    List<Sample> matching =
        named(name).stream()
            .filter(sample -> sample.labels().entrySet().containsAll(labels.entrySet()))
            .toList();
    if (matching.size() != 1) {
      throw new AssertionError(
          matching.size() + " samples of " + name + " with " + labels + ", expected 1");
    }
    return matching.get(0).value();
  }

  /** Every value of a label among the samples of {@code name}. */
  public Set<String> labelValues(String name, String label) {
    Set<String> values = new HashSet<>();
    named(name).forEach(sample -> values.add(sample.labels().get(label)));
    return values;
  }

  /** How many samples carry {@code label=value}, whatever their name. */
  public long countWithLabel(String label, String value) {
    Map<String, String> wanted = new HashMap<>(Map.of(label, value));
    return samples.stream()
        .filter(sample -> sample.labels().entrySet().containsAll(wanted.entrySet()))
        .count();
  }
}
