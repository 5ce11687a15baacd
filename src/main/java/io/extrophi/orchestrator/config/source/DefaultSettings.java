package io.extrophi.orchestrator.config.source;

import io.extrophi.orchestrator.config.ConfigKeys;
import io.extrophi.orchestrator.config.DocumentCheck;
import io.extrophi.orchestrator.config.OrchestratorConfig;
import io.extrophi.orchestrator.config.RuntimeSettings;
import io.extrophi.orchestrator.config.ServiceDefinition;
import io.extrophi.orchestrator.config.StatusRanges;
import io.extrophi.orchestrator.document.DocumentFormat;
import io.extrophi.orchestrator.document.WarnOn;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.Duration;

/**
 * Expresses an {@link OrchestratorConfig} in the key form used by files and the environment, so the
 * built-in defaults can be the lowest layer of the retriever and go through the same validation.
 */
public final class DefaultSettings {

  private DefaultSettings() {}

  public static JsonObject of(OrchestratorConfig config) {
    JsonArray services = new JsonArray();
    config.services().forEach(service -> services.add(service(service, config)));
    RuntimeSettings runtime = config.runtime();
    return new JsonObject()
        .put(ConfigKeys.SERVICES, services)
        .put(ConfigKeys.HEALTH_CHECK_INTERVAL, seconds(config.checkInterval()))
        .put(ConfigKeys.HEALTH_CHECK_TIMEOUT, seconds(config.checkTimeout()))
        .put(ConfigKeys.CIRCUIT_BREAKER_THRESHOLD, config.failureThreshold())
        .put(ConfigKeys.CIRCUIT_BREAKER_SUCCESS_THRESHOLD, config.successThreshold())
        .put(ConfigKeys.CIRCUIT_BREAKER_RESET_TIMEOUT, seconds(config.resetTimeout()))
        .put(ConfigKeys.HTTP_HOST, config.httpHost())
        .put(ConfigKeys.HTTP_PORT, config.httpPort())
        .put(ConfigKeys.SERVICES_FILE, path(runtime.servicesFile()))
        .put(ConfigKeys.CONFIG_RELOAD_INTERVAL, seconds(runtime.reloadCheckInterval()))
        .put(ConfigKeys.MAX_BODY_BYTES, runtime.maxBodyBytes())
        .put(ConfigKeys.MAX_IN_FLIGHT_PROBES, runtime.maxInFlightProbes())
        .put(ConfigKeys.PROBE_CONNECTION, runtime.connection().configName())
        .put(ConfigKeys.PROBE_CONNECTION_MAX_AGE, seconds(runtime.connectionMaxAge()))
        .put(ConfigKeys.PROBE_TLS_ENGINE, runtime.tlsEngine().configName())
        .put(ConfigKeys.HEALTH_FORMAT, DocumentFormat.DEFAULT.configName())
        .put(ConfigKeys.HISTORY_SIZE, runtime.historySize())
        .put(ConfigKeys.DATA_DIR, path(runtime.dataDir()))
        .put(ConfigKeys.STATE_FLUSH_INTERVAL, seconds(runtime.stateFlushInterval()))
        .put(ConfigKeys.TRIGGER_MIN_GAP, seconds(runtime.triggerMinGap()))
        .put(ConfigKeys.HTTP_IDLE_TIMEOUT, seconds(runtime.connections().idleTimeout()))
        .put(ConfigKeys.HTTP_REQUEST_TIMEOUT, seconds(runtime.connections().requestTimeout()))
        .put(ConfigKeys.HTTP_MAX_CONNECTIONS, runtime.connections().maxConnections())
        .put(ConfigKeys.API_TOKEN, runtime.apiToken())
        .put(ConfigKeys.HTTP_TLS_CERT_FILE, path(runtime.tlsCertFile()))
        .put(ConfigKeys.HTTP_TLS_KEY_FILE, path(runtime.tlsKeyFile()))
        .put(ConfigKeys.EVENT_STREAM_MAX_CLIENTS, runtime.eventStreams().maxClients())
        .put(
            ConfigKeys.EVENT_STREAM_CLIENT_BUFFER_BYTES, runtime.eventStreams().clientBufferBytes())
        .put(ConfigKeys.EVENT_STREAM_TOTAL_BUFFER_BYTES, runtime.eventStreams().totalBufferBytes())
        .put(ConfigKeys.ALERT_WEBHOOK, path(config.alerts().webhook()))
        .put(ConfigKeys.ALERT_FORMAT, config.alerts().format().configName())
        .put(ConfigKeys.ALERT_QUEUE_SIZE, config.alerts().queueSize())
        .put(ConfigKeys.ALERT_MAX_ATTEMPTS, config.alerts().maxAttempts())
        .put(ConfigKeys.ALERT_RETRY_INITIAL, seconds(config.alerts().retryInitial()))
        .put(ConfigKeys.ALERT_RETRY_MAX, seconds(config.alerts().retryMax()))
        .put(ConfigKeys.ALERT_TIMEOUT, seconds(config.alerts().attemptTimeout()));
  }

  /**
   * One service as a config file would write it. Fields equal to their default are left out, above
   * all the interval and timeout: a service written without them follows HEALTH_CHECK_INTERVAL and
   * HEALTH_CHECK_TIMEOUT from higher layers instead of pinning the values of this config.
   */
  static JsonObject service(ServiceDefinition service, OrchestratorConfig config) {
    JsonObject json = new JsonObject().put("name", service.name()).put("url", service.url());
    if (!ServiceDefinition.GET.equals(service.method())) {
      json.put("method", service.method());
    }
    if (!service.interval().equals(config.checkInterval())) {
      json.put("interval", seconds(service.interval()));
    }
    if (!service.timeout().equals(config.checkTimeout())) {
      json.put("timeout", seconds(service.timeout()));
    }
    if (!service.expectedStatus().equals(StatusRanges.SUCCESS)) {
      json.put("expected_status", service.expectedStatus().toJson());
    }
    if (!service.headers().isEmpty()) {
      JsonObject headers = new JsonObject();
      service.headers().forEach(headers::put);
      json.put("headers", headers);
    }
    if (service.bodyCondition() != null) {
      json.put("body", service.bodyCondition().toJson());
    }
    if (!service.tags().isEmpty()) {
      json.put("tags", new JsonArray(service.tags()));
    }
    // Like the interval: a mode equal to the global one follows PROBE_CONNECTION from higher
    // layers.
    if (service.connection() != config.runtime().connection()) {
      json.put("connection", service.connection().configName());
    }
    // A format equal to the default follows HEALTH_FORMAT from higher layers, like the interval.
    DocumentCheck document = service.document();
    if (document.format() != DocumentFormat.DEFAULT) {
      json.put("format", document.format().configName());
    }
    if (!document.warnOn().equals(WarnOn.DEFAULT)) {
      json.put("warn_on", new JsonArray(document.warnOn().statuses()));
    }
    if (document.alertOnWarn()) {
      json.put("alert_on_warn", true);
    }
    if (service.tls().caFile() != null) {
      json.put("tls_ca_file", service.tls().caFile());
    }
    if (service.tls().skipVerify()) {
      json.put("tls_skip_verify", true);
    }
    // Like the interval: a format equal to the global one follows ALERT_FORMAT from higher layers.
    if (!service.alert().isNone()) {
      json.put("alert_webhook", service.alert().webhook());
      if (service.alert().format() != config.alerts().format()) {
        json.put("alert_format", service.alert().format().configName());
      }
    }
    return json;
  }

  private static String path(String path) {
    return path == null ? ConfigKeys.NONE : path;
  }

  // Whole seconds stay integers so the JSON reads like what a person would write.
  private static Number seconds(Duration duration) {
    BigDecimal seconds = BigDecimal.valueOf(duration.toNanos(), 9).stripTrailingZeros();
    if (seconds.scale() <= 0) {
      return seconds.longValueExact();
    }
    return seconds.doubleValue();
  }
}
