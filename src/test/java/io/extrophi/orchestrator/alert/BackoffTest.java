package io.extrophi.orchestrator.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.testing.UnitTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@UnitTest
class BackoffTest {

  private final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60));

  @Test
  void theWaitDoublesAfterEachFailedAttemptUpToTheMaximum() {
    assertThat(backoff.beforeRetry(1, null)).isEqualTo(Duration.ofSeconds(1));
    assertThat(backoff.beforeRetry(2, null)).isEqualTo(Duration.ofSeconds(2));
    assertThat(backoff.beforeRetry(3, null)).isEqualTo(Duration.ofSeconds(4));
    assertThat(backoff.beforeRetry(6, null)).isEqualTo(Duration.ofSeconds(32));
    assertThat(backoff.beforeRetry(7, null)).isEqualTo(Duration.ofSeconds(60));
    assertThat(backoff.beforeRetry(100, null)).isEqualTo(Duration.ofSeconds(60));
    assertThat(backoff.beforeRetry(Integer.MAX_VALUE, null)).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void aLongerRetryAfterIsHonouredUpToTheMaximum() {
    assertThat(backoff.beforeRetry(1, Duration.ofSeconds(30))).isEqualTo(Duration.ofSeconds(30));
    assertThat(backoff.beforeRetry(1, Duration.ofHours(1))).isEqualTo(Duration.ofSeconds(60));
    assertThat(backoff.beforeRetry(4, Duration.ofSeconds(1))).isEqualTo(Duration.ofSeconds(8));
  }

  @Test
  void equalInitialAndMaximumWaitTheSameEveryTime() {
    Backoff fixed = new Backoff(Duration.ofMillis(50), Duration.ofMillis(50));
    assertThat(fixed.beforeRetry(1, null)).isEqualTo(Duration.ofMillis(50));
    assertThat(fixed.beforeRetry(9, null)).isEqualTo(Duration.ofMillis(50));
  }
}
