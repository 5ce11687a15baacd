package io.extrophi.orchestrator.config;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Judges merged settings in key form and builds the {@link OrchestratorConfig}, failing on the
 * first broken rule with an {@link InvalidConfigException}.
 */
final class ConfigValidator {

  private static final Logger LOG = LoggerFactory.getLogger(ConfigValidator.class);

  static final int MAX_BODY_BYTES_LIMIT = 16 * 1024 * 1024;
  static final int MAX_IN_FLIGHT_PROBES_LIMIT = 100_000;
  static final int HISTORY_SIZE_LIMIT = 10_000;
  static final int MAX_CONNECTIONS_LIMIT = 1_000_000;
  static final int ALERT_QUEUE_SIZE_LIMIT = 100_000;
  static final int ALERT_MAX_ATTEMPTS_LIMIT = 100;
  static final int EVENT_STREAM_MAX_CLIENTS_LIMIT = 100_000;
  static final int EVENT_STREAM_CLIENT_BUFFER_MIN = 64 * 1024;
  static final int EVENT_STREAM_CLIENT_BUFFER_LIMIT = 1024 * 1024 * 1024;

  private final ValueRules rules;
  private final ServiceListValidator services;

  /**
   * @param originOf names where a key's value came from ({@code null} if unknown), for messages
   */
  ConfigValidator(Function<String, String> originOf) {
    this(new ValueRules(key -> ValueOrigins.Origin.labelled(originOf.apply(key))));
  }

  /** Locates every value (file and line where known) for messages. */
  ConfigValidator(ValueOrigins origins) {
    this(new ValueRules(origins::locate));
  }

  private ConfigValidator(ValueRules rules) {
    this.rules = rules;
    this.services = new ServiceListValidator(rules);
  }

  ValueRules rules() {
    return rules;
  }

  OrchestratorConfig validate(JsonObject settings) {
    Duration interval = seconds(settings, ConfigKeys.HEALTH_CHECK_INTERVAL);
    Duration timeout = seconds(settings, ConfigKeys.HEALTH_CHECK_TIMEOUT);
    AlertSettings alerts = alerts(settings);
    RuntimeSettings runtime = runtime(settings);
    OrchestratorConfig config =
        new OrchestratorConfig(
            services.validate(settings, interval, timeout, alerts.format(), runtime.connection()),
            interval,
            timeout,
            threshold(settings, ConfigKeys.CIRCUIT_BREAKER_THRESHOLD),
            threshold(settings, ConfigKeys.CIRCUIT_BREAKER_SUCCESS_THRESHOLD),
            seconds(settings, ConfigKeys.CIRCUIT_BREAKER_RESET_TIMEOUT),
            rules.host(ConfigKeys.HTTP_HOST, settings.getValue(ConfigKeys.HTTP_HOST)),
            rules.wholeNumber(
                ConfigKeys.HTTP_PORT, settings.getValue(ConfigKeys.HTTP_PORT), 0, 65_535),
            runtime,
            alerts);
    // Legal but suspicious: a probe may still be running when the next round starts.
    if (timeout.compareTo(interval) >= 0) {
      LOG.warn(
          "{} ({} ms) is not shorter than {} ({} ms); checks of a slow service may overlap",
          ConfigKeys.HEALTH_CHECK_TIMEOUT,
          timeout.toMillis(),
          ConfigKeys.HEALTH_CHECK_INTERVAL,
          interval.toMillis());
    }
    return config;
  }

  private RuntimeSettings runtime(JsonObject settings) {
    return new RuntimeSettings(
        servicesFile(settings),
        seconds(settings, ConfigKeys.CONFIG_RELOAD_INTERVAL),
        wholeNumber(settings, ConfigKeys.MAX_BODY_BYTES, MAX_BODY_BYTES_LIMIT),
        wholeNumber(settings, ConfigKeys.MAX_IN_FLIGHT_PROBES, MAX_IN_FLIGHT_PROBES_LIMIT),
        wholeNumber(settings, ConfigKeys.HISTORY_SIZE, HISTORY_SIZE_LIMIT),
        rules.optionalPath(ConfigKeys.DATA_DIR, settings.getValue(ConfigKeys.DATA_DIR)),
        seconds(settings, ConfigKeys.STATE_FLUSH_INTERVAL),
        rules.secondsOrZero(
            ConfigKeys.TRIGGER_MIN_GAP, settings.getValue(ConfigKeys.TRIGGER_MIN_GAP)),
        rules.optionalToken(ConfigKeys.API_TOKEN, settings.getValue(ConfigKeys.API_TOKEN)),
        tlsFile(settings, ConfigKeys.HTTP_TLS_CERT_FILE, ConfigKeys.HTTP_TLS_KEY_FILE),
        tlsFile(settings, ConfigKeys.HTTP_TLS_KEY_FILE, ConfigKeys.HTTP_TLS_CERT_FILE),
        rules.connectionMode(
            ConfigKeys.PROBE_CONNECTION, settings.getValue(ConfigKeys.PROBE_CONNECTION)),
        seconds(settings, ConfigKeys.PROBE_CONNECTION_MAX_AGE),
        new ConnectionLimits(
            seconds(settings, ConfigKeys.HTTP_IDLE_TIMEOUT),
            seconds(settings, ConfigKeys.HTTP_REQUEST_TIMEOUT),
            wholeNumber(settings, ConfigKeys.HTTP_MAX_CONNECTIONS, MAX_CONNECTIONS_LIMIT)),
        eventStreams(settings));
  }

  private EventStreamLimits eventStreams(JsonObject settings) {
    int clientBytes =
        rules.wholeNumber(
            ConfigKeys.EVENT_STREAM_CLIENT_BUFFER_BYTES,
            settings.getValue(ConfigKeys.EVENT_STREAM_CLIENT_BUFFER_BYTES),
            EVENT_STREAM_CLIENT_BUFFER_MIN,
            EVENT_STREAM_CLIENT_BUFFER_LIMIT);
    Object total = settings.getValue(ConfigKeys.EVENT_STREAM_TOTAL_BUFFER_BYTES);
    int totalBytes =
        rules.wholeNumber(ConfigKeys.EVENT_STREAM_TOTAL_BUFFER_BYTES, total, 1, Integer.MAX_VALUE);
    if (totalBytes < clientBytes) {
      throw rules.invalid(
          ConfigKeys.EVENT_STREAM_TOTAL_BUFFER_BYTES,
          total,
          "must not be below "
              + ConfigKeys.EVENT_STREAM_CLIENT_BUFFER_BYTES
              + " ("
              + clientBytes
              + ")");
    }
    return new EventStreamLimits(
        wholeNumber(settings, ConfigKeys.EVENT_STREAM_MAX_CLIENTS, EVENT_STREAM_MAX_CLIENTS_LIMIT),
        clientBytes,
        totalBytes);
  }

  private AlertSettings alerts(JsonObject settings) {
    Duration retryInitial = seconds(settings, ConfigKeys.ALERT_RETRY_INITIAL);
    Duration retryMax = seconds(settings, ConfigKeys.ALERT_RETRY_MAX);
    if (retryMax.compareTo(retryInitial) < 0) {
      throw rules.invalid(
          ConfigKeys.ALERT_RETRY_MAX,
          settings.getValue(ConfigKeys.ALERT_RETRY_MAX),
          "must not be shorter than "
              + ConfigKeys.ALERT_RETRY_INITIAL
              + " ("
              + retryInitial.toMillis()
              + " ms)");
    }
    return new AlertSettings(
        rules.optionalUrl(ConfigKeys.ALERT_WEBHOOK, settings.getValue(ConfigKeys.ALERT_WEBHOOK)),
        rules.alertFormat(ConfigKeys.ALERT_FORMAT, settings.getValue(ConfigKeys.ALERT_FORMAT)),
        wholeNumber(settings, ConfigKeys.ALERT_QUEUE_SIZE, ALERT_QUEUE_SIZE_LIMIT),
        wholeNumber(settings, ConfigKeys.ALERT_MAX_ATTEMPTS, ALERT_MAX_ATTEMPTS_LIMIT),
        retryInitial,
        retryMax,
        seconds(settings, ConfigKeys.ALERT_TIMEOUT));
  }

  /** One of the API's certificate and key files: both are set, or neither. */
  private String tlsFile(JsonObject settings, String key, String partner) {
    String file = rules.optionalPath(key, settings.getValue(key));
    String other = rules.optionalPath(partner, settings.getValue(partner));
    if (file == null && other != null) {
      throw rules.invalid(key, settings.getValue(key), "must be set together with " + partner);
    }
    return file;
  }

  /** The services file named by the settings, or {@code null} when it is disabled. */
  String servicesFile(JsonObject settings) {
    return rules.optionalPath(
        ConfigKeys.SERVICES_FILE, settings.getValue(ConfigKeys.SERVICES_FILE));
  }

  private Duration seconds(JsonObject settings, String key) {
    return rules.seconds(key, settings.getValue(key));
  }

  private int threshold(JsonObject settings, String key) {
    return rules.wholeNumber(key, settings.getValue(key), 1, Integer.MAX_VALUE);
  }

  private int wholeNumber(JsonObject settings, String key, int max) {
    return rules.wholeNumber(key, settings.getValue(key), 1, max);
  }
}
