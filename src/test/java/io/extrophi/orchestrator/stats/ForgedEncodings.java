package io.extrophi.orchestrator.stats;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.extrophi.orchestrator.state.CorruptStateException;
import io.vertx.core.buffer.Buffer;

/** What the statistics' decoders share in their tests: a forged encoding is refused, named. */
final class ForgedEncodings {

  private ForgedEncodings() {}

  /** A decoder of one statistic, such as {@code LatencyWindow::readFrom}. */
  @FunctionalInterface
  interface Decoder {
    Object readFrom(BufferReader in);
  }

  /** Decoding {@code forged} fails with a {@link CorruptStateException} naming {@code fault}. */
  static void assertRefused(Decoder decoder, Buffer forged, String fault) {
    assertThatThrownBy(() -> decoder.readFrom(new BufferReader(forged)))
        .isInstanceOf(CorruptStateException.class)
        .hasMessageContaining(fault);
  }
}
