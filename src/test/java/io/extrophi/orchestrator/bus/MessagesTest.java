package io.extrophi.orchestrator.bus;

import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.breaker.CircuitState;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class MessagesTest {

  private static final Instant AT = Instant.parse("2026-11-18T12:00:00.000001Z");

  @Test
  void probeResultSurvivesTheEventBusJson() {
    ProbeResult healthy = ProbeResult.success("writer", 200, 45.2, AT);
    ProbeResult failed = ProbeResult.failure("backend", null, null, "connection refused", AT);
    assertThat(ProbeResult.fromJson(healthy.toJson())).isEqualTo(healthy);
    assertThat(ProbeResult.fromJson(failed.toJson())).isEqualTo(failed);
    assertThat(failed.toJson().encode())
        .isEqualTo(
            "{\"service\":\"backend\",\"healthy\":false,\"status_code\":null,"
                + "\"response_time_ms\":null,\"error_message\":\"connection refused\","
                + "\"checked_at\":\"2026-11-18T12:00:00.000001Z\"}");
  }

  @Test
  void breakerTransitionSurvivesTheEventBusJsonAndDescribesItself() {
    BreakerTransition transition =
        new BreakerTransition(
            "writer", CircuitState.CLOSED, CircuitState.OPEN, "after 5 consecutive failures", AT);
    assertThat(BreakerTransition.fromJson(transition.toJson())).isEqualTo(transition);
    assertThat(transition.toJson().getString("to")).isEqualTo("open");
    assertThat(transition.describe())
        .isEqualTo("circuit writer: closed -> open after 5 consecutive failures");
  }
}
