package io.extrophi.orchestrator.config;

import java.util.HashSet;
import java.util.List;
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

  /**
   * The YAML file declaring the fleet ({@code conf/services.yaml} by default); blank or {@code
   * none} disables it. Its {@code services} list replaces the one of the config file.
   */
  public static final String SERVICES_FILE = "SERVICES_FILE";

  /** Seconds between two checks of the services file for edits; decimals allowed. */
  public static final String CONFIG_RELOAD_INTERVAL = "CONFIG_RELOAD_INTERVAL";

  /** The most body bytes read for a body condition, 1 to 16777216 (16 MiB). */
  public static final String MAX_BODY_BYTES = "MAX_BODY_BYTES";

  /** The most probes in flight at once, 1 to 100000. */
  public static final String MAX_IN_FLIGHT_PROBES = "MAX_IN_FLIGHT_PROBES";

  /**
   * How probes get their connection unless a service sets its own {@code connection}: {@code fresh}
   * (the default) or {@code reuse}; see {@link ConnectionMode}.
   */
  public static final String PROBE_CONNECTION = "PROBE_CONNECTION";

  /**
   * Seconds a kept-alive probe connection ({@code reuse}) may live before it is replaced by a new
   * one; decimals allowed.
   */
  public static final String PROBE_CONNECTION_MAX_AGE = "PROBE_CONNECTION_MAX_AGE";

  /**
   * The TLS implementation of the probes' {@code https} connections: {@code auto} (the default),
   * {@code jdk} or {@code openssl}; see {@link TlsEngine}.
   */
  public static final String PROBE_TLS_ENGINE = "PROBE_TLS_ENGINE";

  /**
   * How a service's health document is read unless it sets its own {@code format}: {@code auto}
   * (the default), {@code status}, {@code spring}, {@code microprofile}, {@code health+json},
   * {@code vertx} or {@code plain}; see {@link io.extrophi.orchestrator.document.DocumentFormat}.
   */
  public static final String HEALTH_FORMAT = "HEALTH_FORMAT";

  /** Results kept per service, 1 to 10000. */
  public static final String HISTORY_SIZE = "HISTORY_SIZE";

  /**
   * Directory of the durable state ({@code data} by default); blank or {@code none} disables it.
   */
  public static final String DATA_DIR = "DATA_DIR";

  /** Seconds between two writes of the state to {@link #DATA_DIR}; decimals allowed. */
  public static final String STATE_FLUSH_INTERVAL = "STATE_FLUSH_INTERVAL";

  /**
   * Seconds during which a service checked by a trigger is not probed again by another trigger
   * (which answers with its latest result); 0 probes on every trigger.
   */
  public static final String TRIGGER_MIN_GAP = "TRIGGER_MIN_GAP";

  /** Seconds without traffic after which an API connection is closed. */
  public static final String HTTP_IDLE_TIMEOUT = "HTTP_IDLE_TIMEOUT";

  /**
   * Seconds within which a request's head and body must arrive; a slower request gets 408 and its
   * connection is closed.
   */
  public static final String HTTP_REQUEST_TIMEOUT = "HTTP_REQUEST_TIMEOUT";

  /** The most API connections open at once; further ones are closed as they arrive. */
  public static final String HTTP_MAX_CONNECTIONS = "HTTP_MAX_CONNECTIONS";

  /**
   * When set, the bearer token that requests which change state (triggers, reloads) must carry;
   * unset, they are open like the read endpoints. A secret: never logged or shown.
   */
  public static final String API_TOKEN = "ORCHESTRATOR_API_TOKEN";

  /**
   * PEM certificate (chain) of the API's own HTTPS; with {@link #HTTP_TLS_KEY_FILE}, the API serves
   * HTTPS only. Unset (the default): plain HTTP.
   */
  public static final String HTTP_TLS_CERT_FILE = "HTTP_TLS_CERT_FILE";

  /** PEM private key (PKCS#8 or PKCS#1) of {@link #HTTP_TLS_CERT_FILE}. */
  public static final String HTTP_TLS_KEY_FILE = "HTTP_TLS_KEY_FILE";

  /** The most clients of {@code GET /health/events} at once, 1 to 100000; more get 503. */
  public static final String EVENT_STREAM_MAX_CLIENTS = "EVENT_STREAM_MAX_CLIENTS";

  /**
   * The most bytes queued for one event-stream client, 65536 to 1073741824 (1 GiB); a client that
   * would exceed it is disconnected.
   */
  public static final String EVENT_STREAM_CLIENT_BUFFER_BYTES = "EVENT_STREAM_CLIENT_BUFFER_BYTES";

  /**
   * The most bytes queued for all event-stream clients together, not below {@link
   * #EVENT_STREAM_CLIENT_BUFFER_BYTES} and at most 2147483647; beyond it the clients furthest
   * behind are disconnected.
   */
  public static final String EVENT_STREAM_TOTAL_BUFFER_BYTES = "EVENT_STREAM_TOTAL_BUFFER_BYTES";

  /**
   * The webhook every health alert is posted to; blank or {@code none} for none. Not {@code
   * ALERT_WEBHOOK_URL}: a {@code <NAME>_URL} key overrides the URL of the service with that name,
   * and a service called {@code alert-webhook} would then be probed at the webhook.
   */
  public static final String ALERT_WEBHOOK = "ALERT_WEBHOOK";

  /**
   * Body of the requests to {@link #ALERT_WEBHOOK}: {@code json} (the default) or {@code slack}.
   */
  public static final String ALERT_FORMAT = "ALERT_FORMAT";

  /** Alerts waiting per receiver, 1 to 100000; when full, the oldest waiting one is dropped. */
  public static final String ALERT_QUEUE_SIZE = "ALERT_QUEUE_SIZE";

  /** Attempts per alert and receiver, the first included, 1 to 100. */
  public static final String ALERT_MAX_ATTEMPTS = "ALERT_MAX_ATTEMPTS";

  /** Seconds before the first retry of an alert, doubled for each further one; decimals allowed. */
  public static final String ALERT_RETRY_INITIAL = "ALERT_RETRY_INITIAL";

  /** The longest wait between two attempts in seconds, not below {@link #ALERT_RETRY_INITIAL}. */
  public static final String ALERT_RETRY_MAX = "ALERT_RETRY_MAX";

  /** Seconds one attempt to deliver an alert may take, response included; decimals allowed. */
  public static final String ALERT_TIMEOUT = "ALERT_TIMEOUT";

  /**
   * The value of {@link #SERVICES_FILE}, {@link #DATA_DIR} or {@link #ALERT_WEBHOOK} that disables
   * it (as does a blank one), compared case-insensitively.
   */
  public static final String NONE = "none";

  /**
   * A list of service objects ({@code name}, {@code url} and the optional per-service fields); only
   * a config file or the services file can express it.
   */
  public static final String SERVICES = "services";

  /** The fields of one entry of {@link #SERVICES}; any other field is an error. */
  public static final List<String> SERVICE_FIELDS =
      List.of(
          "name",
          "url",
          "method",
          "interval",
          "timeout",
          "expected_status",
          "headers",
          "body",
          "tags",
          "tls_ca_file",
          "tls_skip_verify",
          "alert_webhook",
          "alert_format",
          "connection",
          "depends_on",
          "format",
          "warn_on",
          "alert_on_warn");

  /** The fields of a service's {@code body} condition; any other field is an error. */
  public static final List<String> BODY_FIELDS =
      List.of("json_pointer", "equals", "contains", "matches");

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
          HTTP_PORT,
          SERVICES_FILE,
          CONFIG_RELOAD_INTERVAL,
          MAX_BODY_BYTES,
          MAX_IN_FLIGHT_PROBES,
          PROBE_CONNECTION,
          PROBE_CONNECTION_MAX_AGE,
          PROBE_TLS_ENGINE,
          HEALTH_FORMAT,
          HISTORY_SIZE,
          DATA_DIR,
          STATE_FLUSH_INTERVAL,
          TRIGGER_MIN_GAP,
          HTTP_IDLE_TIMEOUT,
          HTTP_REQUEST_TIMEOUT,
          HTTP_MAX_CONNECTIONS,
          API_TOKEN,
          HTTP_TLS_CERT_FILE,
          HTTP_TLS_KEY_FILE,
          EVENT_STREAM_MAX_CLIENTS,
          EVENT_STREAM_CLIENT_BUFFER_BYTES,
          EVENT_STREAM_TOTAL_BUFFER_BYTES,
          ALERT_WEBHOOK,
          ALERT_FORMAT,
          ALERT_QUEUE_SIZE,
          ALERT_MAX_ATTEMPTS,
          ALERT_RETRY_INITIAL,
          ALERT_RETRY_MAX,
          ALERT_TIMEOUT);

  /** {@code true} starts the node in cluster mode, as {@code --cluster} does. */
  public static final String CLUSTER_ENABLED = "CLUSTER_ENABLED";

  /** The Hazelcast XML file of cluster mode; default {@code conf/cluster.xml}. */
  public static final String CLUSTER_CONFIG = "CLUSTER_CONFIG";

  /** The cluster's name: nodes only join a cluster of the same name. */
  public static final String CLUSTER_NAME = "CLUSTER_NAME";

  /** The address a node binds and announces to the other nodes. */
  public static final String CLUSTER_HOST = "CLUSTER_HOST";

  /** The Hazelcast member port of a node. */
  public static final String CLUSTER_PORT = "CLUSTER_PORT";

  /** The other nodes, {@code host} or {@code host:port}, comma-separated. */
  public static final String CLUSTER_MEMBERS = "CLUSTER_MEMBERS";

  /** The port of the event bus between nodes; 0 for any free one. */
  public static final String CLUSTER_EVENTBUS_PORT = "CLUSTER_EVENTBUS_PORT";

  /** The fewest live orchestrator nodes with which a node keeps probing. */
  public static final String CLUSTER_QUORUM = "CLUSTER_QUORUM";

  /**
   * Settings of cluster mode: read from the environment and {@code .env} before Vert.x starts (see
   * {@code cluster.ClusterSettings}), not part of the configuration document.
   */
  public static final Set<String> CLUSTER_KEYS =
      Set.of(
          CLUSTER_ENABLED,
          CLUSTER_CONFIG,
          CLUSTER_NAME,
          CLUSTER_HOST,
          CLUSTER_PORT,
          CLUSTER_MEMBERS,
          CLUSTER_EVENTBUS_PORT,
          CLUSTER_QUORUM);

  /** The root log level, read by Logback (from the environment or {@code -D}). */
  public static final String LOG_LEVEL = "LOG_LEVEL";

  /** Every fixed key; {@code <NAME>_URL} keys of configured services are known as well. */
  public static final Set<String> KNOWN_KEYS =
      union(union(union(SCALAR_KEYS, CLUSTER_KEYS), SERVICES), LOG_LEVEL);

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

  private static Set<String> union(Set<String> keys, Set<String> more) {
    Set<String> all = new HashSet<>(keys);
    all.addAll(more);
    return Set.copyOf(all);
  }

  private static Set<String> union(Set<String> keys, String extra) {
    Set<String> all = new HashSet<>(keys);
    all.add(extra);
    return Set.copyOf(all);
  }
}
