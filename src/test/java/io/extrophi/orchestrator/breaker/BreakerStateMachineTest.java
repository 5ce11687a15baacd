package io.extrophi.orchestrator.breaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.extrophi.orchestrator.breaker.BreakerStateMachine.Transition;
import io.extrophi.orchestrator.bus.CircuitState;
import io.extrophi.orchestrator.testing.UnitTest;
import java.util.Optional;
import org.junit.jupiter.api.Test;

@UnitTest
class BreakerStateMachineTest {

  private final BreakerStateMachine machine = new BreakerStateMachine(5, 2);

  @Test
  void startsClosed() {
    assertThat(machine.state()).isEqualTo(CircuitState.CLOSED);
    assertThat(machine.consecutiveFailures()).isZero();
  }

  @Test
  void opensOnTheFifthConsecutiveFailureAndNotBefore() {
    for (int i = 1; i <= 4; i++) {
      assertThat(machine.recordFailure("HTTP 503")).isEmpty();
      assertThat(machine.state()).isEqualTo(CircuitState.CLOSED);
    }
    Optional<Transition> opened = machine.recordFailure("HTTP 503");
    assertThat(opened)
        .contains(
            new Transition(CircuitState.CLOSED, CircuitState.OPEN, "after 5 consecutive failures"));
    assertThat(machine.state()).isEqualTo(CircuitState.OPEN);
  }

  @Test
  void countsFailuresRegardlessOfTheTimeBetweenThem() {
    // The machine has no clock at all: with a 30 s interval the five failures span two minutes,
    // far beyond vertx-circuit-breaker's 10 s rolling window, and still open the circuit.
    for (int i = 0; i < 5; i++) {
      machine.recordFailure("timeout after 5000 ms");
    }
    assertThat(machine.state()).isEqualTo(CircuitState.OPEN);
  }

  @Test
  void aSuccessResetsTheConsecutiveFailureCount() {
    for (int i = 0; i < 4; i++) {
      machine.recordFailure("HTTP 500");
    }
    machine.recordSuccess();
    assertThat(machine.consecutiveFailures()).isZero();
    for (int i = 0; i < 4; i++) {
      assertThat(machine.recordFailure("HTTP 500")).isEmpty();
    }
    assertThat(machine.state()).isEqualTo(CircuitState.CLOSED);
  }

  @Test
  void becomesHalfOpenOnlyWhenTheResetTimeoutElapsesWhileOpen() {
    assertThat(machine.resetTimeoutElapsed("60 s")).isEmpty();
    openCircuit();
    assertThat(machine.resetTimeoutElapsed("60 s"))
        .contains(new Transition(CircuitState.OPEN, CircuitState.HALF_OPEN, "after 60 s open"));
    assertThat(machine.state()).isEqualTo(CircuitState.HALF_OPEN);
  }

  @Test
  void halfOpenNeedsTwoConsecutiveSuccessesToClose() {
    openCircuit();
    machine.resetTimeoutElapsed("60 s");
    assertThat(machine.recordSuccess()).isEmpty();
    assertThat(machine.state()).isEqualTo(CircuitState.HALF_OPEN);
    assertThat(machine.recordSuccess())
        .contains(
            new Transition(
                CircuitState.HALF_OPEN, CircuitState.CLOSED, "after 2 consecutive successes"));
    assertThat(machine.state()).isEqualTo(CircuitState.CLOSED);
  }

  @Test
  void aSingleHalfOpenFailureReopensEvenAfterASuccess() {
    openCircuit();
    machine.resetTimeoutElapsed("60 s");
    machine.recordSuccess();
    assertThat(machine.recordFailure("connection refused"))
        .contains(
            new Transition(
                CircuitState.HALF_OPEN,
                CircuitState.OPEN,
                "after a failed half-open probe (connection refused)"));
    assertThat(machine.state()).isEqualTo(CircuitState.OPEN);
  }

  @Test
  void halfOpenSuccessesStartFromZeroAfterAReopen() {
    openCircuit();
    machine.resetTimeoutElapsed("60 s");
    machine.recordSuccess();
    machine.recordFailure("HTTP 502");
    machine.resetTimeoutElapsed("60 s");
    assertThat(machine.recordSuccess()).isEmpty();
    assertThat(machine.state()).isEqualTo(CircuitState.HALF_OPEN);
  }

  @Test
  void aClosedCircuitNeedsTheFullThresholdAgainAfterClosing() {
    openCircuit();
    machine.resetTimeoutElapsed("60 s");
    machine.recordSuccess();
    machine.recordSuccess();
    for (int i = 0; i < 4; i++) {
      assertThat(machine.recordFailure("HTTP 500")).isEmpty();
    }
    assertThat(machine.recordFailure("HTTP 500")).isPresent();
  }

  @Test
  void thresholdsOfOneOpenAndCloseOnASingleOutcome() {
    BreakerStateMachine eager = new BreakerStateMachine(1, 1);
    assertThat(eager.recordFailure("HTTP 500"))
        .contains(
            new Transition(CircuitState.CLOSED, CircuitState.OPEN, "after 1 consecutive failure"));
    eager.resetTimeoutElapsed("1 s");
    assertThat(eager.recordSuccess())
        .contains(
            new Transition(
                CircuitState.HALF_OPEN, CircuitState.CLOSED, "after 1 consecutive success"));
  }

  @Test
  void rejectsThresholdsBelowOne() {
    assertThatThrownBy(() -> new BreakerStateMachine(0, 2))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new BreakerStateMachine(5, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private void openCircuit() {
    for (int i = 0; i < 5; i++) {
      machine.recordFailure("HTTP 503");
    }
  }
}
