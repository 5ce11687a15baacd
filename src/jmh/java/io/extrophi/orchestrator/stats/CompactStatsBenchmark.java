package io.extrophi.orchestrator.stats;

import io.extrophi.orchestrator.bus.ProbeResult;
import io.vertx.core.buffer.Buffer;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The compact statistics side by side with the representation they replaced ({@code Previous*},
 * kept with the tests): recording a latency, the percentiles of a full hour, adding a result to the
 * history and reading its latest ten, and writing a full latency window in the state format (and
 * reading it back). Every structure holds an hour at one probe a second first.
 */
@State(Scope.Thread)
public class CompactStatsBenchmark {

  private static final int RING = 1_024;
  private static final long START = Instant.parse("2026-11-24T12:00:00Z").toEpochMilli();

  private final ProbeResult[] results = new ProbeResult[RING];
  private final double[] latencies = new double[RING];
  private LatencyWindow latency;
  private PreviousLatencyWindow previousLatency;
  private ResultHistory history;
  private PreviousResultHistory previousHistory;
  private Buffer encodedLatency;
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
    latency = new LatencyWindow();
    previousLatency = new PreviousLatencyWindow();
    history = new ResultHistory("writer");
    previousHistory = new PreviousResultHistory("writer", ResultHistory.DEFAULT_CAPACITY);
    for (int i = 0; i < 3_600; i++) {
      latency.record(latencies[i % RING], START + i * 1_000L);
      previousLatency.record(latencies[i % RING], START + i * 1_000L);
      history.add(results[i % RING]);
      previousHistory.add(results[i % RING]);
    }
    at = START + 3_599_000L;
    encodedLatency = Buffer.buffer();
    latency.writeTo(encodedLatency);
  }

  @Benchmark
  public LatencyWindow recordLatency() {
    latency.record(latencies[next++ & (RING - 1)], at);
    return latency;
  }

  @Benchmark
  public PreviousLatencyWindow recordLatencyPrevious() {
    previousLatency.record(latencies[next++ & (RING - 1)], at);
    return previousLatency;
  }

  @Benchmark
  public Percentiles percentiles() {
    return latency.percentiles(at);
  }

  @Benchmark
  public Percentiles percentilesPrevious() {
    return previousLatency.percentiles(at);
  }

  @Benchmark
  public List<ProbeResult> historyAddAndLatestTen() {
    history.add(results[next++ & (RING - 1)]);
    return history.latest(10);
  }

  @Benchmark
  public List<ProbeResult> historyAddAndLatestTenPrevious() {
    previousHistory.add(results[next++ & (RING - 1)]);
    return previousHistory.latest(10);
  }

  @Benchmark
  public Buffer writeLatency() {
    Buffer out = Buffer.buffer(8_192);
    latency.writeTo(out);
    return out;
  }

  @Benchmark
  public Buffer writeLatencyPrevious() {
    Buffer out = Buffer.buffer(8_192);
    previousLatency.writeTo(out);
    return out;
  }

  @Benchmark
  public LatencyWindow readLatency() {
    return LatencyWindow.readFrom(new BufferReader(encodedLatency));
  }
}
