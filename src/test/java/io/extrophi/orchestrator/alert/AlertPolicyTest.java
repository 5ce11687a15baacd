package io.extrophi.orchestrator.alert;

import static io.extrophi.orchestrator.bus.HealthState.CIRCUIT_OPEN;
import static io.extrophi.orchestrator.bus.HealthState.HEALTHY;
import static io.extrophi.orchestrator.bus.HealthState.UNHEALTHY;
import static io.extrophi.orchestrator.bus.HealthState.UNKNOWN;
import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.bus.HealthState;
import io.extrophi.orchestrator.bus.HealthTransition;
import io.extrophi.orchestrator.testing.UnitTest;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

@UnitTest
class AlertPolicyTest {

  private final AlertPolicy policy = new AlertPolicy();

  private static HealthTransition change(String service, HealthState from, HealthState to) {
    return new HealthTransition(service, from, to, "reason", Instant.EPOCH);
  }

  @Test
  void theFirstSuccessfulCheckAfterStartDoesNotAlert() {
    assertThat(policy.shouldAlert(change("a", UNKNOWN, HEALTHY))).isFalse();
  }

  @Test
  void aServiceAlreadyDownAtStartAlerts() {
    assertThat(policy.shouldAlert(change("a", UNKNOWN, UNHEALTHY))).isTrue();
    assertThat(policy.shouldAlert(change("b", UNKNOWN, CIRCUIT_OPEN))).isTrue();
  }

  @Test
  void goingDownOpeningAndRecoveringEachAlert() {
    assertThat(policy.shouldAlert(change("a", HEALTHY, UNHEALTHY))).isTrue();
    assertThat(policy.shouldAlert(change("a", UNHEALTHY, CIRCUIT_OPEN))).isTrue();
    assertThat(policy.shouldAlert(change("a", UNHEALTHY, HEALTHY))).isTrue();
  }

  @Test
  void aFailedTrialProbeOfAnOpenCircuitAlertsNothing() {
    for (int round = 0; round < 3; round++) {
      assertThat(policy.shouldAlert(change("a", CIRCUIT_OPEN, UNHEALTHY))).isFalse();
      assertThat(policy.shouldAlert(change("a", UNHEALTHY, CIRCUIT_OPEN))).isFalse();
    }
  }

  @Test
  void aSuccessfulTrialProbeAlertsTheRecovery() {
    assertThat(policy.shouldAlert(change("a", CIRCUIT_OPEN, UNHEALTHY))).isFalse();
    assertThat(policy.shouldAlert(change("a", UNHEALTHY, HEALTHY))).isTrue();
    // The trial is over: a later opening is news again.
    assertThat(policy.shouldAlert(change("a", HEALTHY, UNHEALTHY))).isTrue();
    assertThat(policy.shouldAlert(change("a", UNHEALTHY, CIRCUIT_OPEN))).isTrue();
  }

  @Test
  void anOpenCircuitThatClosesStraightToHealthyAlerts() {
    assertThat(policy.shouldAlert(change("a", CIRCUIT_OPEN, HEALTHY))).isTrue();
  }

  @Test
  void oneServicesTrialDoesNotSilenceAnother() {
    assertThat(policy.shouldAlert(change("a", CIRCUIT_OPEN, UNHEALTHY))).isFalse();
    assertThat(policy.shouldAlert(change("b", UNHEALTHY, CIRCUIT_OPEN))).isTrue();
  }

  @Test
  void aServiceRemovedMidTrialStartsAfreshWhenAddedBack() {
    assertThat(policy.shouldAlert(change("a", CIRCUIT_OPEN, UNHEALTHY))).isFalse();
    policy.retain(List.of("b"));
    assertThat(policy.shouldAlert(change("a", UNHEALTHY, CIRCUIT_OPEN))).isTrue();
  }
}
