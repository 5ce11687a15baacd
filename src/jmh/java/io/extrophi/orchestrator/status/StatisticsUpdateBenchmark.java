package io.extrophi.orchestrator.status;

import io.extrophi.orchestrator.bus.ProbeResult;
import io.extrophi.orchestrator.stats.AvailabilityBuckets;
import io.extrophi.orchestrator.stats.LatencyWindow;
import io.extrophi.orchestrator.stats.Percentiles;
import io.extrophi.orchestrator.stats.ResultHistory;
import java.time.Instant;
import java.util.Random;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The per-probe path of the status side: one result applied to a service's statistics, and its
 * parts. Inputs are prepared in advance (a ring of 1,024 results one second apart) so that only the
 * update is measured.
 */
@State(Scope.Thread)
public class StatisticsUpdateBenchmark {

  private static final int RING = 1_024;
  private static final long START = Instant.parse("2026-11-24T12:00:00Z").toEpochMilli();

  private final ProbeResult[] results = new ProbeResult[RING];
  private final double[] latencies = new double[RING];
  private ServiceStatus status;
  private LatencyWindow latency;
  private AvailabilityBuckets availability;
  private ResultHistory history;
  private long at;
  private int next;

  @Setup
  public void prepare() {
    Random random = new Random(1);
    for (int i = 0; i < RING; i++) {
      latencies[i] = 20.0 * Math.exp(random.nextGaussian() * 0.5);
      Instant checkedAt = Instant.ofEpochMilli(START + i * 1_000L);
      results[i] =
          random.nextInt(50) == 0
              ? ProbeResult.failure("writer", 503, latencies[i], "HTTP 503", checkedAt)
              : ProbeResult.success("writer", 200, latencies[i], checkedAt);
    }
    status = new ServiceStatus("writer", 100);
    latency = new LatencyWindow();
    availability = new AvailabilityBuckets();
    history = new ResultHistory("writer");
    // An hour of history first, so every structure is at its steady size.
    for (int i = 0; i < 3_600; i++) {
      ProbeResult result = results[i % RING];
      status.apply(result);
      latency.record(latencies[i % RING], START + i * 1_000L);
      availability.recordCheck(result.healthy(), START + i * 1_000L);
      history.add(result);
    }
    at = START + 3_600_000L;
  }

  /** Everything one probe result does to a service's status. */
  @Benchmark
  public ServiceStatus applyResult() {
    status.apply(results[next++ & (RING - 1)]);
    return status;
  }

  @Benchmark
  public LatencyWindow recordLatency() {
    latency.record(latencies[next++ & (RING - 1)], at);
    return latency;
  }

  @Benchmark
  public AvailabilityBuckets recordAvailability() {
    availability.recordCheck((next++ & 63) != 0, at);
    return availability;
  }

  @Benchmark
  public ResultHistory addToHistory() {
    history.add(results[next++ & (RING - 1)]);
    return history;
  }

  /** The percentiles of a full hour (four slices), as each rebuild of a service's JSON needs. */
  @Benchmark
  public Percentiles latencyPercentiles() {
    return latency.percentiles(at);
  }
}
