package io.extrophi.orchestrator.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.testing.UnitTest;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

@UnitTest
class ScheduleSpreadTest {

  private static final long CHECKED_AT = 1_800_000_123_456L;

  @Test
  void eachServiceKeepsItsPhaseAcrossRestarts() {
    long before = ProbeSchedule.firstSlotAfter("writer", 30_000, CHECKED_AT);
    long afterRestart = ProbeSchedule.firstSlotAfter("writer", 30_000, CHECKED_AT + 987_654);
    assertThat(Math.floorMod(afterRestart - before, 30_000L)).isZero();
  }

  @Test
  void theFirstSlotComesHalfAnIntervalToOneAndAHalfAfterTheFirstCheck() {
    IntStream.range(0, 1_000)
        .forEach(
            i ->
                assertThat(ProbeSchedule.firstSlotAfter("svc-" + i, 10_000, CHECKED_AT + i))
                    .isBetween(CHECKED_AT + i + 5_000L, CHECKED_AT + i + 14_999L));
  }

  @Test
  void aFleetIsSpreadEvenlyOverTheInterval() {
    // 10,000 services at a 10 s interval: count slots per 1 s bucket of the interval.
    int[] perSecond = new int[10];
    IntStream.range(0, 10_000)
        .forEach(
            i -> {
              long slot = ProbeSchedule.firstSlotAfter("service-" + i, 10_000, CHECKED_AT);
              perSecond[(int) (Math.floorMod(slot, 10_000L) / 1_000)]++;
            });
    for (int count : perSecond) {
      // An even spread puts 1,000 in each second; a burst would put most in one.
      assertThat(count).isBetween(800, 1_200);
    }
  }
}
