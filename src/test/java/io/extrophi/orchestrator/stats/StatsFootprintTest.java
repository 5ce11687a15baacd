package io.extrophi.orchestrator.stats;

import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.bus.ProbeResult;
import io.extrophi.orchestrator.testing.UnitTest;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The per-service memory budget: 10,000 services with all statistics must fit in 300 MB RSS, so the
 * statistics of one busy service must stay well under 30 KB.
 */
@UnitTest
class StatsFootprintTest {

  private static final long HOUR = 3_600_000L;
  private static final long T0 = 1_700_000_000_000L - 1_700_000_000_000L % HOUR;

  @Test
  void oneBusyServiceStaysUnderTwentyKilobytes() {
    Random random = new Random(1);
    LatencyWindow latency = new LatencyWindow();
    AvailabilityBuckets availability = new AvailabilityBuckets();
    ResultHistory history = new ResultHistory("writer");

    // 30 days of checks every 10 s (availability), the last hour with latencies, 100 results.
    for (long at = T0; at < T0 + 720 * HOUR; at += 10_000) {
      boolean up = random.nextInt(50) > 0;
      availability.recordCheck(up, at);
    }
    LatencyWindowTest.fillRealistically(latency, random);
    String[] errors = {"HTTP 503", "timeout after 5000 ms", "connection refused", "HTTP 502"};
    for (int i = 0; i < 1_000; i++) {
      Instant at = Instant.ofEpochMilli(T0 + i * 10_000L);
      history.add(
          random.nextInt(5) > 0
              ? ProbeResult.success("writer", 200, 20.0 + random.nextInt(1000) / 100.0, at)
              : ProbeResult.failure("writer", 503, 3.0, errors[random.nextInt(4)], at));
    }

    long latencyBytes = latency.estimatedFootprintBytes();
    long availabilityBytes = availability.estimatedFootprintBytes();
    long historyBytes = history.estimatedFootprintBytes();
    long total = latencyBytes + availabilityBytes + historyBytes;
    System.out.printf(
        "footprint per service: latency %d B, availability %d B, history %d B, total %d B%n",
        latencyBytes, availabilityBytes, historyBytes, total);

    assertThat(total).isLessThan(20 * 1024);
    // 10,000 such services: statistics alone well under the 300 MB budget.
    assertThat(total * 10_000).isLessThan(150L * 1024 * 1024);
  }

  @Test
  void anIdleServiceCostsLittleMoreThanItsFixedArrays() {
    long total =
        new LatencyWindow().estimatedFootprintBytes()
            + new AvailabilityBuckets().estimatedFootprintBytes()
            + new ResultHistory("idle").estimatedFootprintBytes();
    assertThat(total).isLessThan(8 * 1024);
  }
}
