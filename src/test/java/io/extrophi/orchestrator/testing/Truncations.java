package io.extrophi.orchestrator.testing;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.extrophi.orchestrator.state.CorruptStateException;
import io.extrophi.orchestrator.stats.BufferReader;
import io.vertx.core.buffer.Buffer;
import java.util.function.Function;

/** What a torn write leaves behind: every proper prefix of what was written. */
public final class Truncations {

  private Truncations() {}

  /**
   * Every proper prefix of {@code written}, read by {@code read}, fails as a corrupt state (never
   * an index error, nor a half-read value taken for whole).
   */
  public static void assertEveryTruncationFailsCleanly(
      Buffer written, Function<BufferReader, ?> read) {
    for (int length = 0; length < written.length(); length++) {
      Buffer truncated = written.getBuffer(0, length);
      assertThatThrownBy(() -> read.apply(new BufferReader(truncated)))
          .as("read of the first %d of %d bytes", length, written.length())
          .isInstanceOf(CorruptStateException.class);
    }
  }
}
