package io.extrophi.orchestrator.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The merged settings in key form, as the loader hands them to the types they describe, and the
 * rules that turn one raw value into its typed value or an {@link InvalidConfigException} naming
 * the key, the value and where it came from. Values may arrive as strings ({@code .env},
 * environment) or as JSON numbers (YAML, JSON), and both are judged by the same rule.
 *
 * <p>Each configuration type reads and checks its own keys from here ({@code
 * OrchestratorConfig.from}, {@code RuntimeSettings.from}, {@code ServiceDefinition.from}, ...);
 * this class holds only the rules several of them share.
 */
public final class ConfigValues {

  public static final String SECONDS_RULE = "must be a positive number of seconds";
  public static final String URL_RULE = "must be an absolute http or https URL with a host";
  public static final String OPTIONAL_URL_RULE =
      "must be an absolute http or https URL with a host, or none (or blank) for none";

  // Keeps nanosecond arithmetic on durations far away from long overflow.
  private static final BigDecimal MAX_SECONDS = BigDecimal.valueOf(1_000_000_000L);
  private static final BigDecimal ONE_MILLISECOND = new BigDecimal("0.001");

  // Deliberately narrower than Double.parseDouble, which also takes "NaN", "1e3", "0x1p3" and "5d".
  private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)");

  public static final String PATH_RULE = "must be a path, or none (or blank) to disable it";

  /** Shortest accepted API token: guessing 16 random characters is out of reach. */
  static final int MIN_TOKEN_LENGTH = 16;

  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9\\-._~+/]+=*");

  private final JsonObject settings;
  private final Function<String, Origin> originOf;

  /**
   * @param settings the merged settings, keyed as in {@link ConfigKeys}
   * @param originOf where the value of a key came from, for messages
   */
  public ConfigValues(JsonObject settings, Function<String, Origin> originOf) {
    this.settings = settings;
    this.originOf = originOf;
  }

  /** Settings whose every value is said to come from {@code source}, as in tests. */
  public static ConfigValues labelled(JsonObject settings, String source) {
    Origin origin = Origin.labelled(source);
    return new ConfigValues(settings, key -> origin);
  }

  /**
   * Where a value came from: {@code source} labels the layer (a file path, {@code environment},
   * {@code system property}), {@code file} and {@code line} locate it when it came from a file. All
   * three are {@code null} for the built-in defaults.
   */
  public record Origin(String source, String file, Integer line) {
    public static final Origin DEFAULTS = new Origin(null, null, null);

    public static Origin labelled(String source) {
      return new Origin(source, null, null);
    }
  }

  /** The raw value of a top-level key, {@code null} when no layer set it. */
  public Object raw(String key) {
    return settings.getValue(key);
  }

  /** Whether some layer set the top-level {@code key}. */
  public boolean has(String key) {
    return settings.containsKey(key);
  }

  /** {@link #seconds(String, Object)} of a top-level key. */
  public Duration seconds(String key) {
    return seconds(key, raw(key));
  }

  /** {@link #wholeNumber(String, Object, int, int)} of a top-level key. */
  public int wholeNumber(String key, int min, int max) {
    return wholeNumber(key, raw(key), min, max);
  }

  /** {@link #optionalPath(String, Object)} of a top-level key. */
  public String optionalPath(String key) {
    return optionalPath(key, raw(key));
  }

  /**
   * A file or directory path that can be switched off: blank, {@code none} or a YAML null yield
   * {@code null}.
   */
  public String optionalPath(String key, Object raw) {
    if (raw == null) {
      return null;
    }
    if (!(raw instanceof String text) || text.indexOf('\0') >= 0) {
      throw invalid(key, raw, PATH_RULE);
    }
    String path = text.strip();
    return path.isEmpty() || path.equalsIgnoreCase(ConfigKeys.NONE) ? null : path;
  }

  public Duration seconds(String key, Object raw) {
    BigDecimal seconds = decimal(raw);
    if (seconds == null || seconds.signum() <= 0) {
      throw invalid(key, raw, SECONDS_RULE);
    }
    if (seconds.compareTo(ONE_MILLISECOND) < 0) {
      throw invalid(key, raw, SECONDS_RULE + " of at least 0.001 (1 ms)");
    }
    if (seconds.compareTo(MAX_SECONDS) > 0) {
      throw invalid(key, raw, SECONDS_RULE + " of at most " + MAX_SECONDS);
    }
    long nanos = seconds.movePointRight(9).setScale(0, RoundingMode.HALF_UP).longValueExact();
    return Duration.ofNanos(nanos);
  }

  /** Like {@link #seconds}, zero allowed. */
  public Duration secondsOrZero(String key, Object raw) {
    BigDecimal seconds = decimal(raw);
    if (seconds != null && seconds.signum() == 0) {
      return Duration.ZERO;
    }
    if (seconds == null || seconds.signum() < 0) {
      throw invalid(key, raw, "must be 0 or a positive number of seconds");
    }
    return seconds(key, raw);
  }

  /**
   * A bearer token (RFC 6750 characters, at least {@link #MIN_TOKEN_LENGTH} of them), or none when
   * unset; set but blank is an error. A rejected token is not echoed: the message shows its length
   * only.
   */
  public String optionalToken(String key, Object raw) {
    if (raw == null) {
      return null;
    }
    String token = raw instanceof String text ? text.strip() : null;
    if (token != null && token.isEmpty()) {
      // Set but blank is how a secret that failed to mount looks: starting with every POST
      // endpoint open would be the wrong guess. Leaving the key unset is the way to run without.
      Origin origin = originOf.apply(key);
      throw new InvalidConfigException(
          key,
          "<blank secret of " + text(raw).length() + " characters>",
          "is set but blank: give it a token (e.g. openssl rand -hex 32), or leave it unset to"
              + " run without one",
          origin.source(),
          origin.file(),
          origin.line());
    }
    if (token == null || token.length() < MIN_TOKEN_LENGTH || !TOKEN.matcher(token).matches()) {
      Origin origin = originOf.apply(key);
      String masked =
          "<secret of " + (token == null ? text(raw).length() : token.length()) + " characters>";
      throw new InvalidConfigException(
          key,
          masked,
          "must be at least "
              + MIN_TOKEN_LENGTH
              + " characters of letters, digits and -._~+/ (e.g. openssl rand -hex 32)",
          origin.source(),
          origin.file(),
          origin.line());
    }
    return token;
  }

  public int wholeNumber(String key, Object raw, int min, int max) {
    BigDecimal number = decimal(raw);
    if (number == null
        || number.stripTrailingZeros().scale() > 0
        || number.compareTo(BigDecimal.valueOf(min)) < 0
        || number.compareTo(BigDecimal.valueOf(max)) > 0) {
      throw invalid(key, raw, "must be a whole number from " + min + " to " + max);
    }
    return number.intValueExact();
  }

  public String host(String key, Object raw) {
    if (!(raw instanceof String text) || text.isBlank()) {
      throw invalid(key, raw, "must be a non-blank host name or address");
    }
    return text.strip();
  }

  /** A webhook that can be switched off: blank, {@code none} or a YAML null yield {@code null}. */
  public String optionalUrl(String key, Object raw) {
    if (raw == null) {
      return null;
    }
    if (raw instanceof String text
        && (text.isBlank() || text.strip().equalsIgnoreCase(ConfigKeys.NONE))) {
      return null;
    }
    if (!(raw instanceof String text) || !isHttpUrl(text.strip())) {
      throw invalid(key, raw, OPTIONAL_URL_RULE);
    }
    return text.strip();
  }

  public String url(String key, Object raw) {
    if (!(raw instanceof String text) || !isHttpUrl(text.strip())) {
      throw invalid(key, raw, URL_RULE);
    }
    return text.strip();
  }

  public InvalidConfigException invalid(String key, Object raw, String rule) {
    Origin origin = originOf.apply(key);
    return new InvalidConfigException(
        key, text(raw), rule, origin.source(), origin.file(), origin.line());
  }

  private static boolean isHttpUrl(String text) {
    try {
      URI uri = new URI(text);
      String scheme = uri.getScheme();
      return scheme != null
          && (scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
          && UrlHost.of(uri).isPresent();
    } catch (URISyntaxException e) {
      return false;
    }
  }

  private static BigDecimal decimal(Object raw) {
    if (raw instanceof Integer || raw instanceof Long || raw instanceof Short) {
      return BigDecimal.valueOf(((Number) raw).longValue());
    }
    if (raw instanceof Double || raw instanceof Float) {
      double value = ((Number) raw).doubleValue();
      return Double.isFinite(value) ? BigDecimal.valueOf(value) : null;
    }
    if (raw instanceof BigInteger big) {
      return new BigDecimal(big);
    }
    if (raw instanceof BigDecimal big) {
      return big;
    }
    if (raw instanceof String text && DECIMAL.matcher(text.strip()).matches()) {
      return new BigDecimal(text.strip());
    }
    return null;
  }

  /**
   * Rejects the first field of {@code object} that is not in {@code known} (usually a typo such as
   * {@code timout}), naming it, the closest known field and all of them.
   *
   * @param what what the object is, e.g. {@code service}
   */
  public void rejectUnknownFields(
      String prefix, JsonObject object, List<String> known, String what) {
    for (String field : object.fieldNames()) {
      if (!known.contains(field)) {
        String suggestion = closest(field, known);
        throw invalid(
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

  /** The known name within two edits of a typo, if any. */
  public static String closest(String field, List<String> known) {
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

  public static String text(Object raw) {
    if (raw == null) {
      return null;
    }
    if (raw instanceof JsonObject json) {
      return json.encode();
    }
    if (raw instanceof JsonArray json) {
      return json.encode();
    }
    return raw.toString();
  }
}
