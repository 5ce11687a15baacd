package io.extrophi.orchestrator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.bus.CircuitState;
import io.extrophi.orchestrator.bus.HealthState;
import io.extrophi.orchestrator.bus.ProbeResult;
import io.extrophi.orchestrator.testing.UnitTest;
import io.extrophi.orchestrator.view.StatusJson;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.junit.jupiter.api.Test;

@UnitTest
class ServiceStatusTest {

  private static final Instant AT = Instant.parse("2026-11-18T12:00:00.123456Z");

  private final ServiceStatus status = new ServiceStatus("writer", 100);

  private JsonObject json() {
    return StatusJson.service(status, AT.toEpochMilli());
  }

  @Test
  void isUnknownWithZeroUptimeBeforeTheFirstProbe() {
    JsonObject json = json();
    assertThat(json.getString("health")).isEqualTo("unknown");
    assertThat(json.getValue("last_check")).isNull();
    assertThat(json.getValue("response_time_ms")).isNull();
    assertThat(json.getValue("error_message")).isNull();
    assertThat(json.getDouble("uptime_percentage")).isEqualTo(0.0);
    assertThat(json.getString("circuit_breaker_state")).isEqualTo("closed");
  }

  @Test
  void hasExactlyTheDocumentedKeys() {
    assertThat(json().fieldNames())
        .containsExactly(
            "health",
            "last_check",
            "response_time_ms",
            "error_message",
            "consecutive_failures",
            "total_checks",
            "successful_checks",
            "uptime_percentage",
            "circuit_breaker_state",
            "latency",
            "availability",
            "root_cause",
            "reported_status",
            "components");
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
    JsonObject json = json();
    assertThat(json.getString("health")).isEqualTo("unhealthy");
    assertThat(json.getInteger("consecutive_failures")).isEqualTo(2);
    assertThat(json.getString("error_message")).isEqualTo("timeout after 5000 ms");
    assertThat(json.getString("last_check")).isEqualTo("2026-11-18T12:00:00.123456Z");
  }

  @Test
  void aSuccessClearsTheErrorAndTheFailureCount() {
    status.apply(ProbeResult.failure("writer", 500, 1.0, "HTTP 500", AT));
    status.apply(ProbeResult.success("writer", 204, 45.2, AT));
    JsonObject json = json();
    assertThat(json.getString("health")).isEqualTo("healthy");
    assertThat(json.getValue("error_message")).isNull();
    assertThat(json.getInteger("consecutive_failures")).isZero();
    assertThat(json.getDouble("response_time_ms")).isEqualTo(45.2);
  }

  @Test
  void isCircuitOpenWhileTheCircuitIsOpenWhateverTheLastProbe() {
    status.apply(ProbeResult.failure("writer", 503, 1.0, "HTTP 503", AT));
    status.applyCircuit(CircuitState.OPEN, AT);
    assertThat(status.health()).isEqualTo(HealthState.CIRCUIT_OPEN);
    assertThat(json().getString("circuit_breaker_state")).isEqualTo("open");
    status.applyCircuit(CircuitState.HALF_OPEN, AT);
    assertThat(status.health()).isEqualTo(HealthState.UNHEALTHY);
    assertThat(json().getString("circuit_breaker_state")).isEqualTo("half_open");
  }

  @Test
  void uptimeIsAHundredWhenEveryCheckSucceeded() {
    status.apply(ProbeResult.success("writer", 200, 1.0, AT));
    assertThat(status.uptimePercentage()).isEqualTo(100.0);
  }

  @Test
  void reportsLatencyPercentilesOfTheResponsesThatArrived() {
    for (int ms = 1; ms <= 100; ms++) {
      status.apply(ProbeResult.success("writer", 200, ms, AT));
    }
    status.apply(ProbeResult.failure("writer", null, null, "timeout after 5000 ms", AT));
    JsonObject latency = json().getJsonObject("latency");
    assertThat(latency.getLong("samples")).isEqualTo(100);
    assertThat(latency.getDouble("p50_ms")).isBetween(49.0, 51.0);
    assertThat(latency.getDouble("p99_ms")).isBetween(98.0, 100.0);
    assertThat(latency.getDouble("max_ms")).isEqualTo(100.0);
  }

  @Test
  void countsTimeWithTheCircuitOpenAsDownInTheAvailabilityWindows() {
    status.useInterval(java.time.Duration.ofSeconds(10));
    for (int i = 0; i < 6; i++) {
      status.apply(ProbeResult.success("writer", 200, 1.0, AT.plusSeconds(i * 10L)));
    }
    Instant opened = AT.plusSeconds(60);
    status.applyCircuit(CircuitState.OPEN, opened);
    // One minute open at a 10 s interval skips six checks: 6 up, 6 down while still open...
    JsonObject whileOpen = StatusJson.service(status, opened.plusSeconds(60).toEpochMilli());
    assertThat(whileOpen.getJsonObject("availability").getDouble("24h")).isEqualTo(50.0);
    // ...and the same once the circuit has left the open state.
    status.applyCircuit(CircuitState.HALF_OPEN, opened.plusSeconds(60));
    JsonObject after = StatusJson.service(status, opened.plusSeconds(60).toEpochMilli());
    assertThat(after.getJsonObject("availability").getDouble("24h")).isEqualTo(50.0);
    // The original uptime is unchanged: it counts probes only.
    assertThat(after.getDouble("uptime_percentage")).isEqualTo(100.0);
  }

  @Test
  void keepsTheLatestResultsForTheHistory() {
    status.apply(ProbeResult.success("writer", 200, 1.0, AT));
    status.apply(ProbeResult.failure("writer", 503, 2.0, "HTTP 503", AT.plusSeconds(1)));
    assertThat(status.history().latest(10))
        .extracting(ProbeResult::errorMessage)
        .containsExactly("HTTP 503", null);
  }

  @Test
  void reusesItsEncodedJsonUntilItChangesOrAgesOut() {
    byte[] first = status.encodedJson(1_000, 1_000);
    assertThat(status.encodedJson(1_500, 1_000)).isSameAs(first);
    assertThat(status.encodedJson(2_500, 1_000)).isNotSameAs(first);
    byte[] second = status.encodedJson(2_600, 1_000);
    status.apply(ProbeResult.success("writer", 200, 1.0, AT));
    byte[] afterChange = status.encodedJson(2_700, 1_000);
    assertThat(afterChange).isNotSameAs(second);
    // A clock that went back does not get statistics computed for a later time.
    assertThat(status.encodedJson(2_000, 1_000)).isNotSameAs(afterChange);
    // The JSON object is the encoded JSON, read back.
    assertThat(StatusJson.service(status, 2_000).toBuffer().getBytes())
        .isEqualTo(status.encodedJson(2_000, 1_000));
  }
}
