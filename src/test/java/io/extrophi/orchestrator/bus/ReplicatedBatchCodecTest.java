package io.extrophi.orchestrator.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.extrophi.orchestrator.testing.UnitTest;
import io.vertx.core.buffer.Buffer;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

@UnitTest
class ReplicatedBatchCodecTest {

  private static final Instant AT = Instant.parse("2026-12-06T22:00:00.123456789Z");

  private final StatusEventBatch batch =
      new StatusEventBatch(
          List.of(
              ProbeResult.success("writer", 200, 12.34, AT),
              ProbeResult.failure("reader", null, null, "timeout after 5000 ms", AT.plusSeconds(1)),
              ProbeResult.failure("café", 503, 3.5, "HTTP 503", AT.plusSeconds(2)),
              new BreakerTransition(
                  "reader",
                  CircuitState.CLOSED,
                  CircuitState.OPEN,
                  "after 5 consecutive failures",
                  AT.plusSeconds(3))),
          42);

  @Test
  void aBatchComesBackAsItWasSentWithItsNodeAndNumber() {
    StatusEventBatch.Replicated decoded =
        ReplicatedBatchCodec.decode(ReplicatedBatchCodec.encode("node-a", batch));
    assertThat(decoded.node()).isEqualTo("node-a");
    assertThat(decoded.batch()).isEqualTo(batch);
  }

  @Test
  void isSmallerThanTheJsonItReplaces() {
    assertThat(ReplicatedBatchCodec.encode("node-a", batch).length())
        .isLessThan(batch.toReplicationJson("node-a").toBuffer().length() / 2);
  }

  @Test
  void rejectsWhatIsNotABatch() {
    Buffer encoded = ReplicatedBatchCodec.encode("node-a", batch);
    assertThatThrownBy(
            () -> ReplicatedBatchCodec.decode(encoded.getBuffer(0, encoded.length() - 3)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ReplicatedBatchCodec.decode(Buffer.buffer("{\"events\":[]}")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("format");
    assertThatThrownBy(() -> ReplicatedBatchCodec.decode(encoded.copy().appendByte((byte) 0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("after the last event");
  }
}
