package io.extrophi.orchestrator.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.testing.UnitTest;
import org.junit.jupiter.api.Test;

/**
 * The pace of state writes: one every interval while a write is short, and never more than a fifth
 * of the time once writes grow long (a huge fleet), so the event loop's share of them stays small.
 */
@UnitTest
class StateWritePaceTest {

  private static final long INTERVAL_MS = 5_000;

  @Test
  void aShortWriteIsFollowedByTheRestOfTheInterval() {
    assertThat(StateSaver.pauseAfter(200, INTERVAL_MS)).isEqualTo(4_800);
    assertThat(StateSaver.pauseAfter(0, INTERVAL_MS)).isEqualTo(INTERVAL_MS);
  }

  @Test
  void aLongWriteIsFollowedByFourTimesItsLength() {
    long tookMs = 3_000;

    long pause = StateSaver.pauseAfter(tookMs, INTERVAL_MS);

    assertThat(pause).isEqualTo(12_000);
    assertThat((double) tookMs / (tookMs + pause)).isLessThanOrEqualTo(0.2);
  }

  @Test
  void writingNeverTakesMoreThanAFifthOfTheTime() {
    for (long tookMs = 0; tookMs <= 60_000; tookMs += 250) {
      long pause = StateSaver.pauseAfter(tookMs, INTERVAL_MS);
      assertThat(tookMs * 5).as("a write of %d ms", tookMs).isLessThanOrEqualTo(tookMs + pause);
      assertThat(tookMs + pause).isGreaterThanOrEqualTo(INTERVAL_MS);
    }
  }
}
