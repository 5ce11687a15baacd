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

  public RuntimeSettings {
    connection = connection == null ? ConnectionMode.DEFAULT : connection;
    connectionMaxAge = connectionMaxAge == null ? DEFAULT_CONNECTION_MAX_AGE : connectionMaxAge;
    connections = connections == null ? ConnectionLimits.defaults() : connections;
    eventStreams = eventStreams == null ? EventStreamLimits.defaults() : eventStreams;
  }

  /** Settings with the default probe connections and API connection limits. */
  public RuntimeSettings(
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
      String tlsKeyFile) {
    this(
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
        ConnectionMode.DEFAULT,
        DEFAULT_CONNECTION_MAX_AGE,
        ConnectionLimits.defaults(),
        EventStreamLimits.defaults());
  }

  /** The settings of a standalone orchestrator. */
  public static RuntimeSettings defaults() {
    return new RuntimeSettings(
        DEFAULT_SERVICES_FILE,
        DEFAULT_RELOAD_CHECK_INTERVAL,
        DEFAULT_MAX_BODY_BYTES,
        DEFAULT_MAX_IN_FLIGHT_PROBES,
        DEFAULT_HISTORY_SIZE,
        DEFAULT_DATA_DIR,
        DEFAULT_STATE_FLUSH_INTERVAL,
        DEFAULT_TRIGGER_MIN_GAP,
        null,
        null,
        null);
  }

  /** Defaults without files: no services file to watch and no state written to disk. */
  public static RuntimeSettings inMemory() {
    return defaults().withFiles(null, null);
  }

  public RuntimeSettings withFiles(String newServicesFile, String newDataDir) {
    return new RuntimeSettings(
        newServicesFile,
        reloadCheckInterval,
        maxBodyBytes,
        maxInFlightProbes,
        historySize,
        newDataDir,
        stateFlushInterval,
        triggerMinGap,
        apiToken,
        tlsCertFile,
        tlsKeyFile,
        connection,
        connectionMaxAge,
        connections,
        eventStreams);
  }

  public RuntimeSettings withTriggerMinGap(Duration gap) {
    return new RuntimeSettings(
        servicesFile,
        reloadCheckInterval,
        maxBodyBytes,
        maxInFlightProbes,
        historySize,
        dataDir,
        stateFlushInterval,
        gap,
        apiToken,
        tlsCertFile,
        tlsKeyFile,
        connection,
        connectionMaxAge,
        connections,
        eventStreams);
  }

  public RuntimeSettings withConnection(ConnectionMode mode, Duration maxAge) {
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
        mode,
        maxAge,
        connections,
        eventStreams);
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
        + ", connections="
        + connections
        + ", eventStreams="
        + eventStreams
        + "]";
  }
}
