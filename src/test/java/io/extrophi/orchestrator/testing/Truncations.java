package io.extrophi.orchestrator.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.extrophi.orchestrator.state.CorruptStateException;
import io.extrophi.orchestrator.stats.BufferReader;
import io.vertx.core.buffer.Buffer;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Function;

/** What a torn write or a flipped bit leaves behind, read back. */
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

  /**
   * {@code tries} copies of {@code written}, each with one byte flipped at a {@code random} place,
   * read and used by {@code readAndUse}: each either reads (a flipped count can still decode, and
   * must then still answer) or fails as a corrupt state with a message, never another error.
   */
  public static void assertCorruptionsFailCleanly(
      Buffer written, Random random, int tries, Consumer<BufferReader> readAndUse) {
    for (int i = 0; i < tries; i++) {
      Buffer corrupted = written.copy();
      int position = random.nextInt(corrupted.length());
      corrupted.setByte(position, (byte) (corrupted.getByte(position) ^ (1 + random.nextInt(255))));
      try {
        readAndUse.accept(new BufferReader(corrupted));
      } catch (CorruptStateException expected) {
        assertThat(expected.getMessage()).isNotBlank();
      }
    }
  }
}
