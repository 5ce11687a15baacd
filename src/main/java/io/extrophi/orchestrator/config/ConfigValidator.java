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

  private final ValueRules rules;
  private final ServiceListValidator services;

  /**
   * @param originOf names where a key's value came from ({@code null} if unknown), for messages
   */
  ConfigValidator(Function<String, String> originOf) {
    this.rules = new ValueRules(originOf);
    this.services = new ServiceListValidator(rules);
  }

  OrchestratorConfig validate(JsonObject settings) {
    Duration interval = seconds(settings, ConfigKeys.HEALTH_CHECK_INTERVAL);
    Duration timeout = seconds(settings, ConfigKeys.HEALTH_CHECK_TIMEOUT);
    OrchestratorConfig config =
        new OrchestratorConfig(
            services.validate(settings).stream()
                .map(service -> service.withTiming(interval, timeout))
                .toList(),
            interval,
            timeout,
            threshold(settings, ConfigKeys.CIRCUIT_BREAKER_THRESHOLD),
            threshold(settings, ConfigKeys.CIRCUIT_BREAKER_SUCCESS_THRESHOLD),
            seconds(settings, ConfigKeys.CIRCUIT_BREAKER_RESET_TIMEOUT),
            rules.host(ConfigKeys.HTTP_HOST, settings.getValue(ConfigKeys.HTTP_HOST)),
            rules.wholeNumber(
                ConfigKeys.HTTP_PORT, settings.getValue(ConfigKeys.HTTP_PORT), 0, 65_535));
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

  private Duration seconds(JsonObject settings, String key) {
    return rules.seconds(key, settings.getValue(key));
  }

  private int threshold(JsonObject settings, String key) {
    return rules.wholeNumber(key, settings.getValue(key), 1, Integer.MAX_VALUE);
  }
}
