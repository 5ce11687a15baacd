package io.extrophi.orchestrator.bus;

import io.vertx.core.buffer.Buffer;
import java.time.Instant;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** A probe result as it goes out on {@link EventBusAddresses#PROBE_RESULTS} to a subscriber. */
@State(Scope.Thread)
public class ProbeResultBenchmark {

  private final ProbeResult result =
      ProbeResult.success("writer", 200, 12.34, Instant.parse("2026-11-24T12:34:56.789012Z"));

  @Benchmark
  public Buffer toEncodedJson() {
    return result.toJson().toBuffer();
  }
}
