package io.extrophi.orchestrator.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.Duration;

/**
 * Expresses an {@link OrchestratorConfig} in the key form used by files and the environment, so the
 * built-in defaults can be the lowest layer of the retriever and go through the same validation.
 */
final class DefaultSettings {

  private DefaultSettings() {}

  static JsonObject of(OrchestratorConfig config) {
    JsonArray services = new JsonArray();
    config.services().forEach(service -> services.add(service.toJson()));
    return new JsonObject()
        .put(ConfigKeys.SERVICES, services)
        .put(ConfigKeys.HEALTH_CHECK_INTERVAL, seconds(config.checkInterval()))
        .put(ConfigKeys.HEALTH_CHECK_TIMEOUT, seconds(config.checkTimeout()))
        .put(ConfigKeys.CIRCUIT_BREAKER_THRESHOLD, config.failureThreshold())
        .put(ConfigKeys.CIRCUIT_BREAKER_SUCCESS_THRESHOLD, config.successThreshold())
        .put(ConfigKeys.CIRCUIT_BREAKER_RESET_TIMEOUT, seconds(config.resetTimeout()))
        .put(ConfigKeys.HTTP_HOST, config.httpHost())
        .put(ConfigKeys.HTTP_PORT, config.httpPort());
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
