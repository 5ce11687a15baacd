package io.extrophi.orchestrator.status;

import io.extrophi.orchestrator.bus.HealthState;
import io.extrophi.orchestrator.bus.ProbeResult;
import io.extrophi.orchestrator.config.ServiceDefinition;
import io.extrophi.orchestrator.view.EncodedSnapshot;
import io.extrophi.orchestrator.view.FleetQuery;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The body of {@code GET /health/status}: served from the encoded snapshot (every request), built
 * again after one service changed (once per change), and the JSON-object path the tag filter and
 * the event bus use.
 */
@State(Scope.Thread)
public class SnapshotBenchmark {

  @Param({"3", "1000"})
  public int services;

  private StatusBoard board;
  private EncodedSnapshot cached;
  private List<String> names;
  private long now;
  private int next;
  private final Random random = new Random(1);

  @Setup
  public void fillBoard() {
    List<ServiceDefinition> fleet = new ArrayList<>();
    names = new ArrayList<>();
    for (int i = 0; i < services; i++) {
      String name = "service-" + i;
      names.add(name);
      fleet.add(
          ServiceDefinition.builder(name, "http://127.0.0.1:8000/s/" + i)
              .interval(Duration.ofSeconds(1))
              .timeout(Duration.ofSeconds(5))
              .build());
    }
    board = new StatusBoard(fleet, 100);
    now = Instant.parse("2026-11-24T12:00:00Z").toEpochMilli();
    // 200 results per service, one a second, about one in fifty failing.
    for (int second = 0; second < 200; second++) {
      for (String name : names) {
        board.apply(result(name, now - (200 - second) * 1_000L));
      }
    }
    cached = board.encodedSnapshot(now);
  }

  private ProbeResult result(String name, long at) {
    Instant checkedAt = Instant.ofEpochMilli(at);
    double ms = 20.0 * Math.exp(random.nextGaussian() * 0.5);
    return random.nextInt(50) == 0
        ? ProbeResult.failure(name, 503, ms, "HTTP 503", checkedAt)
        : ProbeResult.success(name, 200, ms, checkedAt);
  }

  /** What every request costs while nothing changed. */
  @Benchmark
  public Buffer serveEncoded() {
    return cached.render(Instant.ofEpochMilli(now));
  }

  /** What a streamed answer costs: the whole document read in the chunks it is written in. */
  @Benchmark
  public int serveEncodedInChunks() {
    EncodedSnapshot.Reading reading = cached.at(Instant.ofEpochMilli(now));
    int read = 0;
    while (reading.hasNext()) {
      read += reading.next(64 * 1024).length();
    }
    return read;
  }

  /** A filtered page of the fleet: {@code ?health=unhealthy&limit=100}. */
  @Benchmark
  public Buffer unhealthyPage() {
    return board.encodedSelection(now, UNHEALTHY_PAGE).render(Instant.ofEpochMilli(now));
  }

  private static final FleetQuery UNHEALTHY_PAGE =
      new FleetQuery(null, java.util.Set.of(HealthState.UNHEALTHY), 100, null);

  /** What a change costs: one service's new result, then the whole snapshot encoded again. */
  @Benchmark
  public EncodedSnapshot encodeAfterOneChange() {
    String name = names.get(next++ % names.size());
    board.apply(result(name, now));
    return board.encodedSnapshot(now);
  }

  /** The JSON-object path (tag filter, event bus): the snapshot as objects, then encoded. */
  @Benchmark
  public Buffer jsonObjectsAfterOneChange() {
    String name = names.get(next++ % names.size());
    board.apply(result(name, now));
    return board.snapshot(Instant.ofEpochMilli(now)).toBuffer();
  }
}
