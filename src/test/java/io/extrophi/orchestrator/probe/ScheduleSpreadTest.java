package io.extrophi.orchestrator.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ScheduleSpreadTest {

  @Test
  void eachServiceKeepsTheSameSlotAcrossRestarts() {
    assertThat(ProbeVerticle.firstScheduledDelay("writer", 30_000))
        .isEqualTo(ProbeVerticle.firstScheduledDelay("writer", 30_000));
  }

  @Test
  void theFirstScheduledCheckComesHalfAnIntervalToOneAndAHalfAfterStartUp() {
    IntStream.range(0, 1_000)
        .forEach(
            i ->
                assertThat(ProbeVerticle.firstScheduledDelay("svc-" + i, 10_000))
                    .isBetween(5_000L, 15_000L));
  }

  @Test
  void aFleetIsSpreadEvenlyOverTheInterval() {
    // 10,000 services at a 10 s interval: count slots per 1 s bucket of the interval.
    int[] perSecond = new int[10];
    IntStream.range(0, 10_000)
        .forEach(
            i -> {
              long slot = ProbeVerticle.firstScheduledDelay("service-" + i, 10_000) % 10_000;
              perSecond[(int) (slot / 1_000)]++;
            });
    for (int count : perSecond) {
      // An even spread puts 1,000 in each second; a burst would put most in one.
      assertThat(count).isBetween(800, 1_200);
    }
  }
}
