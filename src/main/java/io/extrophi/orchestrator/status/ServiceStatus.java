package io.extrophi.orchestrator.status;

import io.extrophi.orchestrator.breaker.CircuitState;
import io.extrophi.orchestrator.bus.ProbeResult;
import io.extrophi.orchestrator.time.Timestamps;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;

/**
 * The statistics and current state of one service, fed by probe results and circuit transitions.
 * Plain logic: no Vert.x, no clock.
 */
public final class ServiceStatus {

  private final String name;
  private ProbeResult lastResult;
  private CircuitState circuitState = CircuitState.CLOSED;
  private int consecutiveFailures;
  private long totalChecks;
  private long successfulChecks;

  public ServiceStatus(String name) {
    this.name = name;
  }

  public String name() {
    return name;
  }

  /** Counts a probe that was really sent. */
  public void apply(ProbeResult result) {
    lastResult = result;
    totalChecks++;
    if (result.healthy()) {
      successfulChecks++;
      consecutiveFailures = 0;
    } else {
      consecutiveFailures++;
    }
  }

  public void applyCircuitState(CircuitState state) {
    circuitState = state;
  }

  public HealthState health() {
    if (circuitState == CircuitState.OPEN) {
      return HealthState.CIRCUIT_OPEN;
    }
    if (lastResult == null) {
      return HealthState.UNKNOWN;
    }
    return lastResult.healthy() ? HealthState.HEALTHY : HealthState.UNHEALTHY;
  }

  public CircuitState circuitState() {
    return circuitState;
  }

  public int consecutiveFailures() {
    return consecutiveFailures;
  }

  public long totalChecks() {
    return totalChecks;
  }

  public long successfulChecks() {
    return successfulChecks;
  }

  /** Successful checks as a percentage of all checks, two decimals; 0.0 before the first. */
  public double uptimePercentage() {
    if (totalChecks == 0) {
      return 0.0;
    }
    return BigDecimal.valueOf(successfulChecks * 100.0 / totalChecks)
        .setScale(2, RoundingMode.HALF_UP)
        .doubleValue();
  }

  /** The per-service JSON of {@code GET /health/status}: exactly the documented keys. */
  public JsonObject toJson() {
    Instant lastCheck = lastResult == null ? null : lastResult.checkedAt();
    return new JsonObject()
        .put("health", health().jsonName())
        .put("last_check", lastCheck == null ? null : Timestamps.format(lastCheck))
        .put("response_time_ms", lastResult == null ? null : lastResult.responseTimeMs())
        .put("error_message", lastResult == null ? null : lastResult.errorMessage())
        .put("consecutive_failures", consecutiveFailures)
        .put("total_checks", totalChecks)
        .put("successful_checks", successfulChecks)
        .put("uptime_percentage", uptimePercentage())
        .put("circuit_breaker_state", circuitState.jsonName());
  }
}
