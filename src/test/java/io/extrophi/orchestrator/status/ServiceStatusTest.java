package io.extrophi.orchestrator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.breaker.CircuitState;
import io.extrophi.orchestrator.bus.ProbeResult;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ServiceStatusTest {

  private static final Instant AT = Instant.parse("2026-11-18T12:00:00.123456Z");

  private final ServiceStatus status = new ServiceStatus("writer");

  @Test
  void isUnknownWithZeroUptimeBeforeTheFirstProbe() {
    JsonObject json = status.toJson();
    assertThat(json.getString("health")).isEqualTo("unknown");
    assertThat(json.getValue("last_check")).isNull();
    assertThat(json.getValue("response_time_ms")).isNull();
    assertThat(json.getValue("error_message")).isNull();
    assertThat(json.getDouble("uptime_percentage")).isEqualTo(0.0);
    assertThat(json.getString("circuit_breaker_state")).isEqualTo("closed");
  }

  @Test
  void hasExactlyTheDocumentedKeys() {
    assertThat(status.toJson().fieldNames())
        .containsExactly(
            "health",
            "last_check",
            "response_time_ms",
            "error_message",
            "consecutive_failures",
            "total_checks",
            "successful_checks",
            "uptime_percentage",
            "circuit_breaker_state");
  }

  @Test
  void countsChecksAndRoundsUptimeToTwoDecimals() {
    status.apply(ProbeResult.success("writer", 200, 12.5, AT));
    status.apply(ProbeResult.success("writer", 200, 12.5, AT));
    status.apply(ProbeResult.failure("writer", 503, 3.25, "HTTP 503", AT));
    assertThat(status.totalChecks()).isEqualTo(3);
    assertThat(status.successfulChecks()).isEqualTo(2);
    assertThat(status.uptimePercentage()).isEqualTo(66.67);
  }

  @Test
  void reportsTheLastProbeAndCountsConsecutiveFailures() {
    status.apply(ProbeResult.failure("writer", null, null, "connection refused", AT));
    status.apply(ProbeResult.failure("writer", null, null, "timeout after 5000 ms", AT));
    JsonObject json = status.toJson();
    assertThat(json.getString("health")).isEqualTo("unhealthy");
    assertThat(json.getInteger("consecutive_failures")).isEqualTo(2);
    assertThat(json.getString("error_message")).isEqualTo("timeout after 5000 ms");
    assertThat(json.getString("last_check")).isEqualTo("2026-11-18T12:00:00.123456Z");
  }

  @Test
  void aSuccessClearsTheErrorAndTheFailureCount() {
    status.apply(ProbeResult.failure("writer", 500, 1.0, "HTTP 500", AT));
    status.apply(ProbeResult.success("writer", 204, 45.2, AT));
    JsonObject json = status.toJson();
    assertThat(json.getString("health")).isEqualTo("healthy");
    assertThat(json.getValue("error_message")).isNull();
    assertThat(json.getInteger("consecutive_failures")).isZero();
    assertThat(json.getDouble("response_time_ms")).isEqualTo(45.2);
  }

  @Test
  void isCircuitOpenWhileTheCircuitIsOpenWhateverTheLastProbe() {
    status.apply(ProbeResult.failure("writer", 503, 1.0, "HTTP 503", AT));
    status.applyCircuitState(CircuitState.OPEN);
    assertThat(status.health()).isEqualTo(HealthState.CIRCUIT_OPEN);
    assertThat(status.toJson().getString("circuit_breaker_state")).isEqualTo("open");
    status.applyCircuitState(CircuitState.HALF_OPEN);
    assertThat(status.health()).isEqualTo(HealthState.UNHEALTHY);
    assertThat(status.toJson().getString("circuit_breaker_state")).isEqualTo("half_open");
  }

  @Test
  void uptimeIsAHundredWhenEveryCheckSucceeded() {
    status.apply(ProbeResult.success("writer", 200, 1.0, AT));
    assertThat(status.uptimePercentage()).isEqualTo(100.0);
  }
}
