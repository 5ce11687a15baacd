package io.extrophi.orchestrator.breaker;

import io.extrophi.orchestrator.config.OrchestratorConfig;
import io.extrophi.orchestrator.config.ServiceDefinition;
import java.time.Duration;

/**
 * What one service's circuit needs to know.
 *
 * @param failureThreshold consecutive failures that open a closed circuit
 * @param successThreshold consecutive half-open successes that close it
 * @param resetTimeout how long it stays open before it becomes half-open
 * @param callTimeout hard deadline of one guarded probe
 */
public record BreakerSettings(
    int failureThreshold, int successThreshold, Duration resetTimeout, Duration callTimeout) {

  /** The global settings, with the global timeout as the call deadline. */
  public static BreakerSettings from(OrchestratorConfig config) {
    return new BreakerSettings(
        config.failureThreshold(),
        config.successThreshold(),
        config.resetTimeout(),
        config.checkTimeout());
  }

  /** The settings of one service's circuit: global thresholds, the service's own timeout. */
  public static BreakerSettings from(OrchestratorConfig config, ServiceDefinition service) {
    return new BreakerSettings(
        config.failureThreshold(),
        config.successThreshold(),
        config.resetTimeout(),
        service.timeout());
  }
}
