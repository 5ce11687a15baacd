package io.extrophi.orchestrator.alert;

import static io.extrophi.orchestrator.bus.HealthState.CIRCUIT_OPEN;
import static io.extrophi.orchestrator.bus.HealthState.HEALTHY;
import static io.extrophi.orchestrator.bus.HealthState.UNHEALTHY;
import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.bus.HealthState;
import io.extrophi.orchestrator.bus.HealthTransition;
import io.extrophi.orchestrator.testing.UnitTest;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@UnitTest
class AlertPolicyTest {

  private final AlertPolicy policy = new AlertPolicy();

  /** Whether the policy alerts each of {@code changes}, offered in order. */
  private List<Boolean> verdicts(HealthTransition... changes) {
    return Stream.of(changes).map(policy::shouldAlert).toList();
  }

  private static HealthTransition change(String service, HealthState from, HealthState to) {
    return new HealthTransition(service, from, to, "reason", Instant.EPOCH);
  }

  /**
   * One change, with no trial probe under way: the first successful check after start is no news; a
   * service already down at start, going down, opening, recovering, and an open circuit closing
   * straight to healthy each are.
   */
  @ParameterizedTest(name = "{0} -> {1}: alert {2}")
  @CsvSource({
    "UNKNOWN, HEALTHY, false",
    "UNKNOWN, UNHEALTHY, true",
    "UNKNOWN, CIRCUIT_OPEN, true",
    "HEALTHY, UNHEALTHY, true",
    "UNHEALTHY, CIRCUIT_OPEN, true",
    "UNHEALTHY, HEALTHY, true",
    "CIRCUIT_OPEN, HEALTHY, true"
  })
  void aSingleChangeAlertsUnlessItIsTheFirstSuccess(
      HealthState from, HealthState to, boolean alerts) {
    assertThat(policy.shouldAlert(change("a", from, to))).isEqualTo(alerts);
  }

  @Test
  void aFailedTrialProbeOfAnOpenCircuitAlertsNothing() {
    HealthTransition trialFailed = change("a", CIRCUIT_OPEN, UNHEALTHY);
    HealthTransition reopened = change("a", UNHEALTHY, CIRCUIT_OPEN);
    assertThat(verdicts(trialFailed, reopened, trialFailed, reopened, trialFailed, reopened))
        .containsOnly(false);
  }

  @Test
  void aSuccessfulTrialProbeAlertsTheRecovery() {
    // After the recovery the trial is over: a later opening is news again.
    assertThat(
            verdicts(
                change("a", CIRCUIT_OPEN, UNHEALTHY),
                change("a", UNHEALTHY, HEALTHY),
                change("a", HEALTHY, UNHEALTHY),
                change("a", UNHEALTHY, CIRCUIT_OPEN)))
        .containsExactly(false, true, true, true);
  }

  @Test
  void oneServicesTrialDoesNotSilenceAnother() {
    assertThat(verdicts(change("a", CIRCUIT_OPEN, UNHEALTHY), change("b", UNHEALTHY, CIRCUIT_OPEN)))
        .containsExactly(false, true);
  }

  @Test
  void aServiceRemovedMidTrialStartsAfreshWhenAddedBack() {
    assertThat(policy.shouldAlert(change("a", CIRCUIT_OPEN, UNHEALTHY))).isFalse();
    policy.retain(List.of("b"));
    assertThat(policy.shouldAlert(change("a", UNHEALTHY, CIRCUIT_OPEN))).isTrue();
  }
}
