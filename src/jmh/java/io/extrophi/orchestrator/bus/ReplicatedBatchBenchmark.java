package io.extrophi.orchestrator.bus;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * A batch of 200 results (20 ms of a node probing 10,000 services a second) as it travels between
 * the nodes of a cluster: encoded once by the node that probed, decoded by each of the others. The
 * JSON form (what nodes sent before) against the binary one ({@link ReplicatedBatchCodec}).
 */
@State(Scope.Thread)
public class ReplicatedBatchBenchmark {

  private static final String NODE = "5458ac8a-ae35-44de-9c95-b3579d5c1ca5";

  private final StatusEventBatch batch = batchOf(200);
  private final Buffer json = batch.toReplicationJson(NODE).toBuffer();
  private final Buffer binary = ReplicatedBatchCodec.encode(NODE, batch);

  private static StatusEventBatch batchOf(int results) {
    List<StatusEvent> events = new ArrayList<>();
    Instant at = Instant.parse("2026-12-06T22:00:00.123456Z");
    for (int i = 0; i < results; i++) {
      events.add(
          i % 50 == 0
              ? ProbeResult.failure("s" + i, 503, 3.21, "HTTP 503", at.plusMillis(i))
              : ProbeResult.success("s" + i, 200, 12.34 + i, at.plusMillis(i)));
    }
    return new StatusEventBatch(events, 12_345);
  }

  @Benchmark
  public Buffer encodeJson() {
    return batch.toReplicationJson(NODE).toBuffer();
  }

  @Benchmark
  public Buffer encodeBinary() {
    return ReplicatedBatchCodec.encode(NODE, batch);
  }

  @Benchmark
  public StatusEventBatch.Replicated decodeJson() {
    return StatusEventBatch.fromReplicationJson(new JsonObject(json));
  }

  @Benchmark
  public StatusEventBatch.Replicated decodeBinary() {
    return ReplicatedBatchCodec.decode(binary);
  }
}
