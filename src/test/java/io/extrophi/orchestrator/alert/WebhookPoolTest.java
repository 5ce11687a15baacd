package io.extrophi.orchestrator.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.testing.UnitTest;
import io.vertx.core.http.PoolOptions;
import org.junit.jupiter.api.Test;

/**
 * The webhook sender's pool looks at its idle connections every 15 s rather than Vert.x's default
 * second: a sender is idle nearly always, and its cleaner would otherwise wake an event loop every
 * second of an idle fleet.
 */
@UnitTest
class WebhookPoolTest {

  @Test
  void theCleanerRunsEveryFifteenSecondsNotEverySecond() {
    PoolOptions pool = WebhookSender.poolOptions();

    assertThat(pool.getCleanerPeriod())
        .isEqualTo(WebhookSender.CLEANER_PERIOD_MS)
        .isGreaterThan(new PoolOptions().getCleanerPeriod());
  }
}
