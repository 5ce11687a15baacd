package io.extrophi.orchestrator.config;

import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * Settings of the running orchestrator beyond the checks themselves: where the fleet file and the
 * durable state live, and the limits that keep a large fleet within bounds.
 *
 * @param servicesFile YAML file declaring the fleet, watched for edits; {@code null} for none
 * @param reloadCheckInterval how often the services file is checked for edits
 * @param maxBodyBytes the most body bytes read for a body condition; a larger body fails the probe
 * @param maxInFlightProbes the most probes in flight at once; further probes wait their turn
 * @param historySize results kept per service for {@code GET /health/history/{name}}
 * @param dataDir directory of the durable state; {@code null} keeps everything in memory only
 * @param stateFlushInterval how often the state is written to {@code dataDir}
 * @param triggerMinGap how long after a triggered check of a service further triggers answer with
 *     its latest result instead of probing it again; zero probes on every trigger
 * @param apiToken the bearer token of the requests that change state; {@code null} when they are
 *     open. Kept out of {@link #toString()}.
 * @param tlsCertFile PEM certificate of the API's HTTPS; {@code null} for plain HTTP
 * @param tlsKeyFile PEM private key of {@code tlsCertFile}; {@code null} for plain HTTP
 * @param connection the connection mode of services that set none
 * @param connectionMaxAge the longest a kept-alive probe connection ({@link ConnectionMode#REUSE})
 *     lives before a new one replaces it
 * @param tlsEngine the TLS implementation of the probes' {@code https} connections
 * @param connections the API's idle timeout, request deadline and connection cap
 * @param eventStreams what clients of {@code GET /health/events} may hold of the memory
 */
public record RuntimeSettings(
    String servicesFile,
    Duration reloadCheckInterval,
    int maxBodyBytes,
    int maxInFlightProbes,
    int historySize,
    String dataDir,
    Duration stateFlushInterval,
    Duration triggerMinGap,
    String apiToken,
    String tlsCertFile,
    String tlsKeyFile,
    ConnectionMode connection,
    Duration connectionMaxAge,
    TlsEngine tlsEngine,
    ConnectionLimits connections,
    EventStreamLimits eventStreams) {

  public static final String DEFAULT_SERVICES_FILE = "conf/services.yaml";
  public static final Duration DEFAULT_RELOAD_CHECK_INTERVAL = Duration.ofSeconds(2);
  public static final int DEFAULT_MAX_BODY_BYTES = 64 * 1024;
  public static final int DEFAULT_MAX_IN_FLIGHT_PROBES = 1_000;
  public static final int DEFAULT_HISTORY_SIZE = 100;
  public static final String DEFAULT_DATA_DIR = "data";
  public static final Duration DEFAULT_STATE_FLUSH_INTERVAL = Duration.ofSeconds(5);
  public static final Duration DEFAULT_TRIGGER_MIN_GAP = Duration.ofSeconds(1);
  public static final Duration DEFAULT_CONNECTION_MAX_AGE = Duration.ofSeconds(60);

  static final int MAX_MAX_BODY_BYTES = 16 * 1024 * 1024;
  static final int MAX_MAX_IN_FLIGHT_PROBES = 100_000;
  static final int MAX_HISTORY_SIZE = 10_000;

  public RuntimeSettings {
    connection = connection == null ? ConnectionMode.DEFAULT : connection;
    connectionMaxAge = connectionMaxAge == null ? DEFAULT_CONNECTION_MAX_AGE : connectionMaxAge;
    tlsEngine = tlsEngine == null ? TlsEngine.DEFAULT : tlsEngine;
    connections = connections == null ? ConnectionLimits.defaults() : connections;
    eventStreams = eventStreams == null ? EventStreamLimits.defaults() : eventStreams;
  }

  /** The settings of a standalone orchestrator. */
  public static RuntimeSettings defaults() {
    return builder().build();
  }

  /** Defaults without files: no services file to watch and no state written to disk. */
  public static RuntimeSettings inMemory() {
    return builder().servicesFile(null).dataDir(null).build();
  }

  /** A builder starting from the {@linkplain #defaults() defaults}. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding every field of these settings, to change some of them. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * Reads and checks the settings of the running orchestrator, with its API connection limits and
   * event-stream limits.
   *
   * @throws InvalidConfigException naming the first key whose value breaks its rule
   */
  public static RuntimeSettings from(ConfigValues values) {
    return new RuntimeSettings(
        servicesFile(values),
        values.seconds(ConfigKeys.CONFIG_RELOAD_INTERVAL),
        values.wholeNumber(ConfigKeys.MAX_BODY_BYTES, 1, MAX_MAX_BODY_BYTES),
        values.wholeNumber(ConfigKeys.MAX_IN_FLIGHT_PROBES, 1, MAX_MAX_IN_FLIGHT_PROBES),
        values.wholeNumber(ConfigKeys.HISTORY_SIZE, 1, MAX_HISTORY_SIZE),
        values.optionalPath(ConfigKeys.DATA_DIR),
        values.seconds(ConfigKeys.STATE_FLUSH_INTERVAL),
        values.secondsOrZero(ConfigKeys.TRIGGER_MIN_GAP, values.raw(ConfigKeys.TRIGGER_MIN_GAP)),
        values.optionalToken(ConfigKeys.API_TOKEN, values.raw(ConfigKeys.API_TOKEN)),
        tlsFile(values, ConfigKeys.HTTP_TLS_CERT_FILE, ConfigKeys.HTTP_TLS_KEY_FILE),
        tlsFile(values, ConfigKeys.HTTP_TLS_KEY_FILE, ConfigKeys.HTTP_TLS_CERT_FILE),
        ConnectionMode.from(
            values, ConfigKeys.PROBE_CONNECTION, values.raw(ConfigKeys.PROBE_CONNECTION)),
        values.seconds(ConfigKeys.PROBE_CONNECTION_MAX_AGE),
        TlsEngine.from(
            values, ConfigKeys.PROBE_TLS_ENGINE, values.raw(ConfigKeys.PROBE_TLS_ENGINE)),
        ConnectionLimits.from(values),
        EventStreamLimits.from(values));
  }

  /**
   * The services file the settings name, or {@code null} when it is disabled; read on its own
   * because the loader needs it before the rest.
   */
  public static String servicesFile(ConfigValues values) {
    return values.optionalPath(ConfigKeys.SERVICES_FILE);
  }

  /** One of the API's certificate and key files: both are set, or neither. */
  private static String tlsFile(ConfigValues values, String key, String partner) {
    String file = values.optionalPath(key);
    String other = values.optionalPath(partner);
    if (file == null && other != null) {
      throw values.invalid(key, values.raw(key), "must be set together with " + partner);
    }
    return file;
  }

  public static RuntimeSettings fromJson(JsonObject json) {
    return new RuntimeSettings(
        json.getString("services_file"),
        Duration.ofMillis(json.getLong("reload_check_interval_ms")),
        json.getInteger("max_body_bytes"),
        json.getInteger("max_in_flight_probes"),
        json.getInteger("history_size"),
        json.getString("data_dir"),
        Duration.ofMillis(json.getLong("state_flush_interval_ms")),
        Duration.ofMillis(json.getLong("trigger_min_gap_ms", DEFAULT_TRIGGER_MIN_GAP.toMillis())),
        json.getString("api_token"),
        json.getString("tls_cert_file"),
        json.getString("tls_key_file"),
        ConnectionMode.parse(json.getString("connection", ConnectionMode.DEFAULT.configName()))
            .orElse(ConnectionMode.DEFAULT),
        Duration.ofMillis(
            json.getLong("connection_max_age_ms", DEFAULT_CONNECTION_MAX_AGE.toMillis())),
        TlsEngine.parse(json.getString("tls_engine", TlsEngine.DEFAULT.configName()))
            .orElse(TlsEngine.DEFAULT),
        ConnectionLimits.fromJson(json.getJsonObject("connections")),
        EventStreamLimits.fromJson(json.getJsonObject("event_streams")));
  }

  /**
   * The settings as they travel between the verticles of one process (never published to other
   * processes or shown): the token included.
   */
  public JsonObject toJson() {
    return new JsonObject()
        .put("services_file", servicesFile)
        .put("reload_check_interval_ms", reloadCheckInterval.toMillis())
        .put("max_body_bytes", maxBodyBytes)
        .put("max_in_flight_probes", maxInFlightProbes)
        .put("history_size", historySize)
        .put("data_dir", dataDir)
        .put("state_flush_interval_ms", stateFlushInterval.toMillis())
        .put("trigger_min_gap_ms", triggerMinGap.toMillis())
        .put("api_token", apiToken)
        .put("tls_cert_file", tlsCertFile)
        .put("tls_key_file", tlsKeyFile)
        .put("connection", connection.configName())
        .put("connection_max_age_ms", connectionMaxAge.toMillis())
        .put("tls_engine", tlsEngine.configName())
        .put("connections", connections.toJson())
        .put("event_streams", eventStreams.toJson());
  }

  /** Whether the API serves HTTPS. */
  public boolean servesTls() {
    return tlsCertFile != null;
  }

  /** Whether the requests that change state must carry the bearer token. */
  public boolean requiresToken() {
    return apiToken != null;
  }

  /** Like the record's, with the token masked: settings may be logged. */
  @Override
  public String toString() {
    return "RuntimeSettings[servicesFile="
        + servicesFile
        + ", reloadCheckInterval="
        + reloadCheckInterval
        + ", maxBodyBytes="
        + maxBodyBytes
        + ", maxInFlightProbes="
        + maxInFlightProbes
        + ", historySize="
        + historySize
        + ", dataDir="
        + dataDir
        + ", stateFlushInterval="
        + stateFlushInterval
        + ", triggerMinGap="
        + triggerMinGap
        + ", apiToken="
        + (apiToken == null ? "none" : "***")
        + ", tlsCertFile="
        + tlsCertFile
        + ", tlsKeyFile="
        + tlsKeyFile
        + ", connection="
        + connection.configName()
        + ", connectionMaxAge="
        + connectionMaxAge
        + ", tlsEngine="
        + tlsEngine.configName()
        + ", connections="
        + connections
        + ", eventStreams="
        + eventStreams
        + "]";
  }

  /** Builds {@link RuntimeSettings}; unset fields keep their defaults. */
  public static final class Builder {
    private String servicesFile = DEFAULT_SERVICES_FILE;
    private Duration reloadCheckInterval = DEFAULT_RELOAD_CHECK_INTERVAL;
    private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
    private int maxInFlightProbes = DEFAULT_MAX_IN_FLIGHT_PROBES;
    private int historySize = DEFAULT_HISTORY_SIZE;
    private String dataDir = DEFAULT_DATA_DIR;
    private Duration stateFlushInterval = DEFAULT_STATE_FLUSH_INTERVAL;
    private Duration triggerMinGap = DEFAULT_TRIGGER_MIN_GAP;
    private String apiToken;
    private String tlsCertFile;
    private String tlsKeyFile;
    private ConnectionMode connection = ConnectionMode.DEFAULT;
    private Duration connectionMaxAge = DEFAULT_CONNECTION_MAX_AGE;
    private TlsEngine tlsEngine = TlsEngine.DEFAULT;
    private ConnectionLimits connections = ConnectionLimits.defaults();
    private EventStreamLimits eventStreams = EventStreamLimits.defaults();

    private Builder() {}

    private Builder(RuntimeSettings settings) {
      servicesFile = settings.servicesFile;
      reloadCheckInterval = settings.reloadCheckInterval;
      maxBodyBytes = settings.maxBodyBytes;
      maxInFlightProbes = settings.maxInFlightProbes;
      historySize = settings.historySize;
      dataDir = settings.dataDir;
      stateFlushInterval = settings.stateFlushInterval;
      triggerMinGap = settings.triggerMinGap;
      apiToken = settings.apiToken;
      tlsCertFile = settings.tlsCertFile;
      tlsKeyFile = settings.tlsKeyFile;
      connection = settings.connection;
      connectionMaxAge = settings.connectionMaxAge;
      tlsEngine = settings.tlsEngine;
      connections = settings.connections;
      eventStreams = settings.eventStreams;
    }

    /** {@code null} for no services file. */
    public Builder servicesFile(String servicesFile) {
      this.servicesFile = servicesFile;
      return this;
    }

    public Builder reloadCheckInterval(Duration reloadCheckInterval) {
      this.reloadCheckInterval = reloadCheckInterval;
      return this;
    }

    public Builder maxBodyBytes(int maxBodyBytes) {
      this.maxBodyBytes = maxBodyBytes;
      return this;
    }

    public Builder maxInFlightProbes(int maxInFlightProbes) {
      this.maxInFlightProbes = maxInFlightProbes;
      return this;
    }

    public Builder historySize(int historySize) {
      this.historySize = historySize;
      return this;
    }

    /** {@code null} keeps the state in memory only. */
    public Builder dataDir(String dataDir) {
      this.dataDir = dataDir;
      return this;
    }

    public Builder stateFlushInterval(Duration stateFlushInterval) {
      this.stateFlushInterval = stateFlushInterval;
      return this;
    }

    public Builder triggerMinGap(Duration triggerMinGap) {
      this.triggerMinGap = triggerMinGap;
      return this;
    }

    /** {@code null} leaves the requests that change state open. */
    public Builder apiToken(String apiToken) {
      this.apiToken = apiToken;
      return this;
    }

    /** {@code null} (with {@code tlsKeyFile}) for plain HTTP. */
    public Builder tlsCertFile(String tlsCertFile) {
      this.tlsCertFile = tlsCertFile;
      return this;
    }

    public Builder tlsKeyFile(String tlsKeyFile) {
      this.tlsKeyFile = tlsKeyFile;
      return this;
    }

    public Builder connection(ConnectionMode connection) {
      this.connection = connection;
      return this;
    }

    public Builder connectionMaxAge(Duration connectionMaxAge) {
      this.connectionMaxAge = connectionMaxAge;
      return this;
    }

    public Builder tlsEngine(TlsEngine tlsEngine) {
      this.tlsEngine = tlsEngine;
      return this;
    }

    public Builder connections(ConnectionLimits connections) {
      this.connections = connections;
      return this;
    }

    public Builder eventStreams(EventStreamLimits eventStreams) {
      this.eventStreams = eventStreams;
      return this;
    }

    public RuntimeSettings build() {
      return new RuntimeSettings(
          servicesFile,
          reloadCheckInterval,
          maxBodyBytes,
          maxInFlightProbes,
          historySize,
          dataDir,
          stateFlushInterval,
          triggerMinGap,
          apiToken,
          tlsCertFile,
          tlsKeyFile,
          connection,
          connectionMaxAge,
          tlsEngine,
          connections,
          eventStreams);
    }
  }
}
