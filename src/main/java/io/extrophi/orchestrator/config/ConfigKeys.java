package io.extrophi.orchestrator.config;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The names under which settings are read, identical in the config file, {@code .env}, environment
 * variables and system properties, so one name works everywhere.
 */
public final class ConfigKeys {

  public static final String WRITER_URL = "WRITER_URL";
  public static final String RESEARCH_URL = "RESEARCH_URL";
  public static final String BACKEND_URL = "BACKEND_URL";

  /** Seconds between two rounds of checks; decimals allowed. */
  public static final String HEALTH_CHECK_INTERVAL = "HEALTH_CHECK_INTERVAL";

  /** Seconds after which one probe counts as failed; decimals allowed. */
  public static final String HEALTH_CHECK_TIMEOUT = "HEALTH_CHECK_TIMEOUT";

  public static final String CIRCUIT_BREAKER_THRESHOLD = "CIRCUIT_BREAKER_THRESHOLD";
  public static final String CIRCUIT_BREAKER_SUCCESS_THRESHOLD =
      "CIRCUIT_BREAKER_SUCCESS_THRESHOLD";

  /** Seconds an open circuit waits before trying again; decimals allowed. */
  public static final String CIRCUIT_BREAKER_RESET_TIMEOUT = "CIRCUIT_BREAKER_RESET_TIMEOUT";

  public static final String HTTP_HOST = "HTTP_HOST";
  public static final String HTTP_PORT = "HTTP_PORT";

  /** A list of {@code {name, url}} objects; only a config file can express it. */
  public static final String SERVICES = "services";

  /**
   * Environment variable or system property naming an explicit config file. It chooses which file
   * is read, so it is resolved before loading and is not itself a setting.
   */
  public static final String CONFIG_FILE = "ORCHESTRATOR_CONFIG_FILE";

  /** Settings that hold a single value, so environment variables and properties can carry them. */
  public static final Set<String> SCALAR_KEYS =
      Set.of(
          WRITER_URL,
          RESEARCH_URL,
          BACKEND_URL,
          HEALTH_CHECK_INTERVAL,
          HEALTH_CHECK_TIMEOUT,
          CIRCUIT_BREAKER_THRESHOLD,
          CIRCUIT_BREAKER_SUCCESS_THRESHOLD,
          CIRCUIT_BREAKER_RESET_TIMEOUT,
          HTTP_HOST,
          HTTP_PORT);

  /** Every fixed key; {@code <NAME>_URL} keys of configured services are known as well. */
  public static final Set<String> KNOWN_KEYS = union(SCALAR_KEYS, SERVICES);

  private static final String URL_SUFFIX = "_URL";

  // The image of every valid service name under serviceUrlKey, so URL overrides can be selected
  // from the environment before the service list is known.
  private static final Pattern SERVICE_URL_KEY = Pattern.compile("[A-Z0-9][A-Z0-9_]*_URL");

  private ConfigKeys() {}

  /** The key overriding the URL of a service: {@code my-api} becomes {@code MY_API_URL}. */
  public static String serviceUrlKey(String serviceName) {
    return serviceName.toUpperCase(Locale.ROOT).replace('-', '_') + URL_SUFFIX;
  }

  /** Whether {@code key} has the shape of a service URL override, for any service name. */
  public static boolean looksLikeServiceUrlKey(String key) {
    return SERVICE_URL_KEY.matcher(key).matches();
  }

  private static Set<String> union(Set<String> keys, String extra) {
    Set<String> all = new HashSet<>(keys);
    all.add(extra);
    return Set.copyOf(all);
  }
}
