package io.extrophi.orchestrator.stats;

import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.bus.ProbeResult;
import io.extrophi.orchestrator.testing.UnitTest;
import io.vertx.core.buffer.Buffer;
import java.time.Instant;
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

  @Test
  void resultHistoryAnswersAsTheLongTimeHistoryDid() {
    for (int seed = 0; seed < 60; seed++) {
      Random random = new Random(seed);
      int capacity = new int[] {1, 2, 10, 100, 300}[random.nextInt(5)];
      ResultHistory compact = new ResultHistory("svc", capacity);
      PreviousResultHistory previous = new PreviousResultHistory("svc", capacity);
      // Microseconds since the epoch; steps from none to days, now and then backwards.
      long micros = T0 * 1_000 + random.nextInt(1_000_000);
      int distinctMessages = 1 + random.nextInt(capacity > 254 ? 400 : 8);
      for (int step = 0; step < 2_000; step++) {
        micros += historyStep(random);
        ProbeResult result = result(random, micros, distinctMessages);
        compact.add(result);
        previous.add(result);
        if (random.nextInt(25) == 0) {
          int limit = random.nextInt(capacity + 2);
          assertThat(compact.latest(limit))
              .as("seed %d step %d", seed, step)
              .isEqualTo(previous.latest(limit));
        }
      }
      Buffer oldFormat = Buffer.buffer();
      previous.writeTo(oldFormat);
      Buffer newFormat = Buffer.buffer();
      compact.writeTo(newFormat);
      if (capacity >= 10) {
        // The base time and the time mode cost 9 bytes once; each result saves 7 or 4.
        assertThat(newFormat.length()).isLessThan(oldFormat.length());
      }
      for (Buffer written : new Buffer[] {oldFormat, newFormat}) {
        BufferReader in = new BufferReader(written);
        ResultHistory read = ResultHistory.readFrom(in);
        assertThat(in.remaining()).isZero();
        assertThat(read.latest(capacity)).as("seed %d", seed).isEqualTo(previous.latest(capacity));
      }
      assertThat(compact.estimatedFootprintBytes())
          .isLessThanOrEqualTo(previous.estimatedFootprintBytes());
    }
  }

  @Test
  void availabilityReadsWhatTheHourByHourFormatWroteAndWritesLess() {
    for (int seed = 0; seed < 30; seed++) {
      Random random = new Random(seed);
      AvailabilityBuckets compact = new AvailabilityBuckets();
      PreviousAvailabilityBuckets previous = new PreviousAvailabilityBuckets();
      long now = T0 + random.nextInt(3_600_000);
      int steps = random.nextInt(3) == 0 ? 50 : 20_000;
      for (int step = 0; step < steps; step++) {
        now +=
            random.nextInt(100) == 0 ? random.nextInt(100) * 3_600_000L : random.nextInt(600_000);
        if (random.nextInt(200) == 0) {
          long count = random.nextInt(100_000);
          long from = now - random.nextInt(50) * 3_600_000L;
          compact.recordDown(count, from, now);
          previous.recordDown(count, from, now);
        } else {
          boolean up = random.nextInt(30) > 0;
          compact.recordCheck(up, now);
          previous.recordCheck(up, now);
        }
      }
      Buffer oldFormat = Buffer.buffer();
      previous.writeTo(oldFormat);
      Buffer newFormat = Buffer.buffer();
      compact.writeTo(newFormat);
      for (Buffer written : new Buffer[] {oldFormat, newFormat}) {
        BufferReader in = new BufferReader(written);
        AvailabilityBuckets read = AvailabilityBuckets.readFrom(in);
        assertThat(in.remaining()).isZero();
        for (long later = now; later < now + 800 * 3_600_000L; later += 37 * 3_600_000L) {
          assertThat(read.availability(later))
              .as("seed %d", seed)
              .isEqualTo(previous.copy().availability(later));
        }
      }
    }
  }

  private static long historyStep(Random random) {
    return switch (random.nextInt(40)) {
      case 0 -> 3L * 3_600_000_000L + random.nextInt(1_000_000); // a pause of hours
      case 1 -> -random.nextInt(5_000_000); // finished out of order
      case 2 -> 0;
      default -> 1 + random.nextInt(60_000_000);
    };
  }

  private static ProbeResult result(Random random, long micros, int distinctMessages) {
    Instant at = Instant.ofEpochSecond(micros / 1_000_000, (micros % 1_000_000) * 1_000);
    double ms = random.nextInt(5_000_000) / 1_000.0;
    return switch (random.nextInt(4)) {
      case 0 ->
          ProbeResult.failure("svc", null, null, "error " + random.nextInt(distinctMessages), at);
      case 1 -> ProbeResult.failure("svc", 500 + random.nextInt(100), ms, "HTTP 5xx", at);
      default -> ProbeResult.success("svc", random.nextBoolean() ? 200 : 32_767, ms, at);
    };
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
