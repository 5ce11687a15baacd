package io.extrophi.orchestrator.stats;

import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.testing.UnitTest;
import io.vertx.core.buffer.Buffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The compact statistics give the same answers as the representation they replaced (kept in this
 * package as {@code Previous*}) on random sequences of records and queries, and read what it wrote.
 */
@UnitTest
class CompactStatsEquivalenceTest {

  private static final long T0 = 1_700_000_000_000L - 1_700_000_000_000L % 3_600_000L;
  private static final long MINUTE = 60_000L;

  @Test
  void latencyWindowAnswersAsTheSlicePerListWindowDid() {
    for (int seed = 0; seed < 40; seed++) {
      Random random = new Random(seed);
      int slices = new int[] {1, 2, 4, 6, 10}[random.nextInt(5)];
      long window = slices * (1 + random.nextInt(20)) * MINUTE;
      LatencyWindow compact = new LatencyWindow(window, slices);
      PreviousLatencyWindow previous = new PreviousLatencyWindow(window, slices);
      long now = T0 + random.nextInt(1_000_000);
      for (int step = 0; step < 5_000; step++) {
        now += timeStep(random, window);
        double ms = latency(random);
        // Now and then a late sample, from before the newest one.
        long at = random.nextInt(50) == 0 ? now - random.nextInt((int) window) : now;
        compact.record(ms, at);
        previous.record(ms, at);
        if (random.nextInt(20) == 0) {
          assertThat(compact.percentiles(now))
              .as("seed %d step %d", seed, step)
              .isEqualTo(previous.percentiles(now));
        }
      }
      Buffer written = Buffer.buffer();
      previous.writeTo(written);
      LatencyWindow read = LatencyWindow.readFrom(new BufferReader(written));
      Buffer rewritten = Buffer.buffer();
      compact.writeTo(rewritten);
      LatencyWindow reread = LatencyWindow.readFrom(new BufferReader(rewritten));
      for (long later = now; later < now + 2 * window; later += window / 7) {
        Percentiles expected = previous.percentiles(later);
        assertThat(read.percentiles(later)).as("seed %d, old format", seed).isEqualTo(expected);
        assertThat(reread.percentiles(later)).as("seed %d, new format", seed).isEqualTo(expected);
        assertThat(compact.percentiles(later)).as("seed %d", seed).isEqualTo(expected);
      }
    }
  }

  @Test
  void aFullLatencyWindowTakesLessThanHalfOfWhatItDid() {
    LatencyWindow compact = new LatencyWindow();
    PreviousLatencyWindow previous = new PreviousLatencyWindow();
    Random random = new Random(42);
    for (int second = 0; second < 3_600; second++) {
      double ms = 20.0 * Math.exp(random.nextGaussian() * 0.5);
      compact.record(ms, T0 + second * 1_000L);
      previous.record(ms, T0 + second * 1_000L);
    }
    System.out.printf(
        "latency window, one probe a second for an hour: %d B (was %d B)%n",
        compact.estimatedFootprintBytes(), previous.estimatedFootprintBytes());
    assertThat(compact.estimatedFootprintBytes() * 2)
        .isLessThan(previous.estimatedFootprintBytes());
  }

  /** Mostly one probe interval; sometimes a pause longer than the window, or none at all. */
  private static long timeStep(Random random, long window) {
    int kind = random.nextInt(100);
    if (kind == 0) {
      return window + random.nextInt((int) window);
    }
    if (kind < 5) {
      return 0;
    }
    return 1 + random.nextInt(2_000);
  }

  /** Tight, spread, sub-millisecond and beyond-the-range latencies. */
  private static double latency(Random random) {
    return switch (random.nextInt(10)) {
      case 0 -> random.nextInt(1_000) / 1_000.0;
      case 1 -> 5.0;
      case 2 -> 700_000.0 * random.nextDouble();
      default -> 20.0 * Math.exp(random.nextGaussian() * 0.8);
    };
  }
}
