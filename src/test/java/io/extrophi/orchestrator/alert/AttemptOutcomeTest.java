package io.extrophi.orchestrator.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.alert.AttemptOutcome.Kind;
import io.extrophi.orchestrator.testing.UnitTest;
import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@UnitTest
class AttemptOutcomeTest {

  @ParameterizedTest(name = "HTTP {0} -> {1}")
  @CsvSource({
    "200, DELIVERED",
    "202, DELIVERED",
    "204, DELIVERED",
    "301, REJECTED",
    "400, REJECTED",
    "401, REJECTED",
    "404, REJECTED",
    "410, REJECTED",
    "408, RETRY",
    "429, RETRY",
    "500, RETRY",
    "502, RETRY",
    "503, RETRY",
    "504, RETRY"
  })
  void statusCodesDecideWhetherToRetry(int status, Kind kind) {
    AttemptOutcome outcome = AttemptOutcome.ofStatus(status, null);
    assertThat(outcome.kind()).isEqualTo(kind);
    assertThat(outcome.description()).isEqualTo("HTTP " + status);
  }

  @Test
  void retryAfterSecondsAreReadAndOtherFormsIgnored() {
    assertThat(AttemptOutcome.ofStatus(429, " 30 ").retryAfter()).isEqualTo(Duration.ofSeconds(30));
    assertThat(AttemptOutcome.ofStatus(503, "Wed, 21 Oct 2015 07:28:00 GMT").retryAfter()).isNull();
    assertThat(AttemptOutcome.ofStatus(503, "-1").retryAfter()).isNull();
    assertThat(AttemptOutcome.ofStatus(503, "999999999").retryAfter())
        .isEqualTo(Duration.ofDays(1));
    assertThat(AttemptOutcome.ofStatus(200, "30").retryAfter()).isNull();
  }

  @Test
  void everyFailureWithoutAnAnswerIsRetried() {
    assertThat(AttemptOutcome.ofFailure(new ConnectException("refused")))
        .isEqualTo(new AttemptOutcome(Kind.RETRY, "connection refused", null));
    assertThat(AttemptOutcome.ofFailure(new TimeoutException("no answer")).description())
        .isEqualTo("timeout (no answer)");
    assertThat(AttemptOutcome.ofFailure(new IllegalStateException("odd")))
        .isEqualTo(new AttemptOutcome(Kind.RETRY, "IllegalStateException: odd", null));
  }
}
