package io.extrophi.orchestrator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.breaker.CircuitState;
import io.extrophi.orchestrator.bus.BreakerTransition;
import io.extrophi.orchestrator.bus.ProbeResult;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusBoardTest {

  private static final Instant NOW = Instant.parse("2026-11-18T12:00:00Z");

  private final StatusBoard board = new StatusBoard(List.of("writer", "research", "backend"));

  @Test
  void listsServicesInConfiguredOrder() {
    JsonObject snapshot = board.snapshot(NOW);
    assertThat(snapshot.getJsonObject("services").fieldNames())
        .containsExactly("writer", "research", "backend");
    assertThat(snapshot.getString("timestamp")).isEqualTo("2026-11-18T12:00:00.000000Z");
    assertThat(snapshot.getString("overall_health")).isEqualTo("unhealthy");
    assertThat(snapshot.fieldNames()).containsExactly("timestamp", "services", "overall_health");
  }

  @Test
  void reportsHealthChangesOnlyWhenTheHealthChanges() {
    assertThat(board.apply(ProbeResult.success("writer", 200, 1.0, NOW)))
        .contains(new StatusBoard.HealthChange("writer", HealthState.UNKNOWN, HealthState.HEALTHY));
    assertThat(board.apply(ProbeResult.success("writer", 200, 1.0, NOW))).isEmpty();
    assertThat(
            board.apply(
                new BreakerTransition(
                    "writer", CircuitState.CLOSED, CircuitState.OPEN, "after 5", NOW)))
        .contains(
            new StatusBoard.HealthChange("writer", HealthState.HEALTHY, HealthState.CIRCUIT_OPEN));
  }

  @Test
  void rebuildsTheServicesJsonAfterEveryChange() {
    JsonObject before = board.servicesJson();
    assertThat(board.servicesJson()).isSameAs(before);
    board.apply(ProbeResult.success("research", 200, 1.0, NOW));
    assertThat(board.servicesJson()).isNotSameAs(before);
    assertThat(board.servicesJson().getJsonObject("research").getLong("total_checks")).isEqualTo(1);
  }

  @Test
  void ignoresServicesItDoesNotKnow() {
    assertThat(board.apply(ProbeResult.success("ghost", 200, 1.0, NOW))).isEmpty();
    assertThat(
            board.apply(
                new BreakerTransition("ghost", CircuitState.CLOSED, CircuitState.OPEN, "x", NOW)))
        .isEmpty();
    assertThat(board.service("ghost")).isEmpty();
  }

  @Test
  void isDegradedWhenSomeButNotAllServicesAreHealthy() {
    board.apply(ProbeResult.success("writer", 200, 1.0, NOW));
    board.apply(ProbeResult.failure("research", 503, 1.0, "HTTP 503", NOW));
    assertThat(board.overallHealth()).isEqualTo(OverallHealth.DEGRADED);
    board.apply(ProbeResult.success("research", 200, 1.0, NOW));
    board.apply(ProbeResult.success("backend", 200, 1.0, NOW));
    assertThat(board.overallHealth()).isEqualTo(OverallHealth.HEALTHY);
  }
}
