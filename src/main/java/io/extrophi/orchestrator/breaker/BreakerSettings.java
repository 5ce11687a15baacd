package io.extrophi.orchestrator.breaker;

import io.extrophi.orchestrator.config.OrchestratorConfig;
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

  public static BreakerSettings from(OrchestratorConfig config) {
    return new BreakerSettings(
        config.failureThreshold(),
        config.successThreshold(),
        config.resetTimeout(),
        config.checkTimeout());
  }
}
