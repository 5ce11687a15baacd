package io.extrophi.orchestrator.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Converts one raw setting to its typed value or throws {@link InvalidConfigException}. Values may
 * arrive as strings ({@code .env}, environment) or as JSON numbers (YAML, JSON), and both are
 * judged by the same rule.
 */
final class ValueRules {

  static final String SECONDS_RULE = "must be a positive number of seconds";
  static final String URL_RULE = "must be an absolute http or https URL with a host";
  static final String OPTIONAL_URL_RULE =
      "must be an absolute http or https URL with a host, or none (or blank) for none";
  static final String ALERT_FORMAT_RULE = "must be json or slack";
  static final String CONNECTION_MODE_RULE = "must be fresh or reuse";

  // Keeps nanosecond arithmetic on durations far away from long overflow.
  private static final BigDecimal MAX_SECONDS = BigDecimal.valueOf(1_000_000_000L);
  private static final BigDecimal ONE_MILLISECOND = new BigDecimal("0.001");

  // Deliberately narrower than Double.parseDouble, which also takes "NaN", "1e3", "0x1p3" and "5d".
  private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)");

  static final String PATH_RULE = "must be a path, or none (or blank) to disable it";

  /** Shortest accepted API token: guessing 16 random characters is out of reach. */
  static final int MIN_TOKEN_LENGTH = 16;

  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9\\-._~+/]+=*");

  private final Function<String, ValueOrigins.Origin> originOf;

  ValueRules(Function<String, ValueOrigins.Origin> originOf) {
    this.originOf = originOf;
  }

  /**
   * A file or directory path that can be switched off: blank, {@code none} or a YAML null yield
   * {@code null}.
   */
  String optionalPath(String key, Object raw) {
    if (raw == null) {
      return null;
    }
    if (!(raw instanceof String text) || text.indexOf('\0') >= 0) {
      throw invalid(key, raw, PATH_RULE);
    }
    String path = text.strip();
    return path.isEmpty() || path.equalsIgnoreCase(ConfigKeys.NONE) ? null : path;
  }

  Duration seconds(String key, Object raw) {
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
  Duration secondsOrZero(String key, Object raw) {
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
  String optionalToken(String key, Object raw) {
    if (raw == null) {
      return null;
    }
    String token = raw instanceof String text ? text.strip() : null;
    if (token != null && token.isEmpty()) {
      // Set but blank is how a secret that failed to mount looks: starting with every POST
      // endpoint open would be the wrong guess. Leaving the key unset is the way to run without.
      ValueOrigins.Origin origin = originOf.apply(key);
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
      ValueOrigins.Origin origin = originOf.apply(key);
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

  int wholeNumber(String key, Object raw, int min, int max) {
    BigDecimal number = decimal(raw);
    if (number == null
        || number.stripTrailingZeros().scale() > 0
        || number.compareTo(BigDecimal.valueOf(min)) < 0
        || number.compareTo(BigDecimal.valueOf(max)) > 0) {
      throw invalid(key, raw, "must be a whole number from " + min + " to " + max);
    }
    return number.intValueExact();
  }

  String host(String key, Object raw) {
    if (!(raw instanceof String text) || text.isBlank()) {
      throw invalid(key, raw, "must be a non-blank host name or address");
    }
    return text.strip();
  }

  /** A webhook that can be switched off: blank, {@code none} or a YAML null yield {@code null}. */
  String optionalUrl(String key, Object raw) {
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

  AlertFormat alertFormat(String key, Object raw) {
    return (raw instanceof String text ? AlertFormat.parse(text) : Optional.<AlertFormat>empty())
        .orElseThrow(() -> invalid(key, raw, ALERT_FORMAT_RULE));
  }

  ConnectionMode connectionMode(String key, Object raw) {
    return (raw instanceof String text
            ? ConnectionMode.parse(text)
            : Optional.<ConnectionMode>empty())
        .orElseThrow(() -> invalid(key, raw, CONNECTION_MODE_RULE));
  }

  String url(String key, Object raw) {
    if (!(raw instanceof String text) || !isHttpUrl(text.strip())) {
      throw invalid(key, raw, URL_RULE);
    }
    return text.strip();
  }

  InvalidConfigException invalid(String key, Object raw, String rule) {
    ValueOrigins.Origin origin = originOf.apply(key);
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

  static String text(Object raw) {
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
