package io.extrophi.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.testing.UnitTest;
import io.vertx.core.VertxOptions;
import org.junit.jupiter.api.Test;

/**
 * The blocked-thread check wakes an idle process: the orchestrator runs it every 5 s rather than
 * Vert.x's every second, unless the operator chose an interval.
 */
@UnitTest
class BlockedThreadCheckTest {

  @Test
  void theCheckRunsEveryFiveSecondsByDefault() {
    VertxOptions options = new VertxOptions();

    OrchestratorApplication.checkBlockedThreadsLessOften(options);

    assertThat(options.getBlockedThreadCheckInterval())
        .isEqualTo(OrchestratorApplication.BLOCKED_THREAD_CHECK_INTERVAL_MS)
        .isEqualTo(5_000);
  }

  @Test
  void anIntervalTheOperatorChoseIsKept() {
    VertxOptions options = new VertxOptions().setBlockedThreadCheckInterval(250);

    OrchestratorApplication.checkBlockedThreadsLessOften(options);

    assertThat(options.getBlockedThreadCheckInterval()).isEqualTo(250);
  }
}
