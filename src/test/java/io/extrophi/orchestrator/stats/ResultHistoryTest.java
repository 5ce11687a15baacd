package io.extrophi.orchestrator.stats;

import static io.extrophi.orchestrator.stats.ForgedEncodings.assertRefused;
import static io.extrophi.orchestrator.testing.Truncations.assertCorruptionsFailCleanly;
import static io.extrophi.orchestrator.testing.Truncations.assertEveryTruncationFailsCleanly;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.extrophi.orchestrator.bus.ProbeResult;
import io.extrophi.orchestrator.testing.UnitTest;
import io.vertx.core.buffer.Buffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

@UnitTest
class ResultHistoryTest {

  private static final Instant AT = Instant.parse("2026-11-18T12:00:00.123456Z");

  private final ResultHistory history = new ResultHistory("writer");

  @Test
  void startsEmptyWithDefaultCapacity() {
    assertThat(history.size()).isZero();
    assertThat(history.capacity()).isEqualTo(100);
    assertThat(history.latest(10)).isEmpty();
    assertThat(history.service()).isEqualTo("writer");
  }

  @Test
  void returnsNewestFirstAndKeepsEveryField() {
    ProbeResult ok = ProbeResult.success("writer", 200, 12.34, AT);
    ProbeResult failed = ProbeResult.failure("writer", 503, 0.5, "HTTP 503", AT.plusSeconds(1));
    ProbeResult refused =
        ProbeResult.failure("writer", null, null, "connection refused", AT.plusSeconds(2));
    history.add(ok);
    history.add(failed);
    history.add(refused);
    assertThat(history.latest(10)).containsExactly(refused, failed, ok);
    assertThat(history.latest(2)).containsExactly(refused, failed);
    assertThat(history.latest(0)).isEmpty();
    assertThat(history.size()).isEqualTo(3);
  }

  @Test
  void wrapsAroundKeepingTheNewest() {
    ResultHistory small = new ResultHistory("writer", 3);
    for (int i = 0; i < 7; i++) {
      small.add(result(i, "error " + (i % 2)));
    }
    assertThat(small.size()).isEqualTo(3);
    assertThat(small.capacity()).isEqualTo(3);
    assertThat(small.latest(5))
        .containsExactly(result(6, "error 0"), result(5, "error 1"), result(4, "error 0"));
  }

  @Test
  void keepsMicrosecondsOfTimesAndResponseTimes() {
    ProbeResult precise = ProbeResult.success("writer", 204, 1234.567, AT);
    history.add(precise);
    assertThat(history.latest(1)).containsExactly(precise);
    assertThat(history.latest(1).get(0).checkedAt()).isEqualTo(AT);
  }

  @Test
  void rejectsForeignOrImpossibleResults() {
    assertThatThrownBy(() -> history.add(ProbeResult.success("reader", 200, 1.0, AT)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> history.add(ProbeResult.success("writer", 70_000, 1.0, AT)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> history.add(ProbeResult.success("writer", 200, -1.0, AT)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> history.latest(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ResultHistory("writer", 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void repeatedMessagesAreInternedOnce() {
    for (int i = 0; i < 250; i++) {
      history.add(result(i, i % 2 == 0 ? "HTTP 503" : "timeout after 5000 ms"));
    }
    assertThat(history.internedCount()).isEqualTo(2);
    // Results two apart carry the same message: one shared String, not a copy each.
    List<ProbeResult> latest = history.latest(3);
    assertThat(latest.get(0).errorMessage()).isSameAs(latest.get(2).errorMessage());
  }

  @Test
  void internTableOnlyHoldsMessagesStillInTheRing() {
    ResultHistory small = new ResultHistory("writer", 10);
    for (int i = 0; i < 10_000; i++) {
      small.add(result(i, "distinct " + i));
    }
    assertThat(small.internedCount()).isEqualTo(10);
    assertThat(small.latest(1).get(0).errorMessage()).isEqualTo("distinct 9999");
  }

  @Test
  void internTableIsCappedAndFallsBackToPlainStrings() {
    ResultHistory large = new ResultHistory("writer", 1_000);
    List<ProbeResult> added = new ArrayList<>();
    for (int i = 0; i < 3_000; i++) {
      ProbeResult result = result(i, "distinct " + i);
      large.add(result);
      added.add(0, result);
    }
    assertThat(large.internedCount()).isEqualTo(ResultHistory.MAX_INTERNED);
    assertThat(large.latest(1_000)).isEqualTo(added.subList(0, 1_000));
    // Bounded: the ring arrays, 256 interned strings and at most one plain string per slot.
    assertThat(large.estimatedFootprintBytes()).isLessThan(120 * 1024);
  }

  @Test
  void truncatesOverlongMessagesWithoutSplittingSurrogates() {
    String emoji = "\uD83D\uDE00";
    String longMessage = "x".repeat(ResultHistory.MAX_MESSAGE_CHARS - 1) + emoji + "tail";
    history.add(result(1, longMessage));
    String stored = history.latest(1).get(0).errorMessage();
    assertThat(stored).isEqualTo("x".repeat(ResultHistory.MAX_MESSAGE_CHARS - 1));
    history.add(result(2, "y".repeat(5_000)));
    assertThat(history.latest(1).get(0).errorMessage()).hasSize(ResultHistory.MAX_MESSAGE_CHARS);
  }

  /** The history's bytes after {@code results} random results. */
  private Buffer writtenAfter(int results, Random random) {
    for (int i = 0; i < results; i++) {
      history.add(randomResult(random, i));
    }
    Buffer out = Buffer.buffer();
    history.writeTo(out);
    return out;
  }

  @Test
  void roundTripsExactly() {
    Buffer out = writtenAfter(137, new Random(9));
    BufferReader in = new BufferReader(out);
    ResultHistory copy = ResultHistory.readFrom(in);
    assertThat(in.remaining()).isZero();
    assertThat(copy.service()).isEqualTo("writer");
    assertThat(copy.capacity()).isEqualTo(100);
    assertThat(copy.size()).isEqualTo(100);
    assertThat(copy.latest(100)).isEqualTo(history.latest(100));
  }

  @Test
  void roundTripsOverflowedMessagesAndEmptyHistories() {
    ResultHistory large = new ResultHistory("writer", 400);
    for (int i = 0; i < 400; i++) {
      large.add(result(i, i % 3 == 0 ? null : "distinct " + i));
    }
    Buffer out = Buffer.buffer();
    large.writeTo(out);
    new ResultHistory("empty \u00e9").writeTo(out);
    BufferReader in = new BufferReader(out);
    assertThat(ResultHistory.readFrom(in).latest(400)).isEqualTo(large.latest(400));
    ResultHistory empty = ResultHistory.readFrom(in);
    assertThat(empty.service()).isEqualTo("empty \u00e9");
    assertThat(empty.size()).isZero();
    assertThat(in.remaining()).isZero();
  }

  @Test
  void readsIntoAnotherCapacityKeepingTheNewest() {
    for (int i = 0; i < 50; i++) {
      history.add(result(i, "e" + (i % 4)));
    }
    Buffer out = Buffer.buffer();
    history.writeTo(out);
    ResultHistory smaller = ResultHistory.readFrom(new BufferReader(out), 10);
    assertThat(smaller.capacity()).isEqualTo(10);
    assertThat(smaller.latest(10)).isEqualTo(history.latest(10));
  }

  @Test
  void everyTruncationFailsCleanly() {
    history.add(ProbeResult.success("writer", 200, 1.5, AT));
    history.add(result(1, "HTTP 503"));
    Buffer out = Buffer.buffer();
    history.writeTo(out);
    assertEveryTruncationFailsCleanly(out, ResultHistory::readFrom);
  }

  @Test
  void forgedCountsFailBeforeAllocating() {
    Buffer header = Buffer.buffer().appendByte((byte) 'H').appendByte((byte) 1);
    BufferReader.writeString(header, "writer");
    Buffer hugeCapacity = header.copy().appendInt(Integer.MAX_VALUE);
    assertRefused(ResultHistory::readFrom, hugeCapacity, "capacity");
    Buffer manyResults = header.copy().appendInt(100_000).appendInt(100_000).appendInt(0);
    assertRefused(ResultHistory::readFrom, manyResults, "truncated");
    Buffer hugeName =
        Buffer.buffer().appendByte((byte) 'H').appendByte((byte) 1).appendInt(Integer.MAX_VALUE);
    assertRefused(ResultHistory::readFrom, hugeName, "string length");
    Buffer badUtf8 =
        Buffer.buffer()
            .appendByte((byte) 'H')
            .appendByte((byte) 1)
            .appendInt(2)
            .appendByte((byte) 0xC3)
            .appendByte((byte) 0x28);
    assertRefused(ResultHistory::readFrom, badUtf8, "UTF-8");
  }

  @Test
  void corruptedBytesFailCleanly() {
    Random random = new Random(13);
    Buffer out = writtenAfter(20, random);
    assertCorruptionsFailCleanly(out, random, 2_000, in -> ResultHistory.readFrom(in).latest(100));
  }

  @Test
  void bufferReaderRejectsOffsetsOutsideTheBuffer() {
    assertThatThrownBy(() -> new BufferReader(Buffer.buffer("ab"), 3))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(new BufferReader(Buffer.buffer("ab"), 2).remaining()).isZero();
  }

  private static ProbeResult result(int i, String message) {
    return ProbeResult.failure("writer", 500, (double) i, message, AT.plusSeconds(i));
  }

  private static ProbeResult randomResult(Random random, int i) {
    Instant at =
        AT.plusMillis(i * 1_000L + random.nextInt(1_000)).plusNanos(random.nextInt(1_000) * 1_000L);
    return switch (random.nextInt(4)) {
      case 0 -> ProbeResult.success("writer", 200, random.nextInt(100_000) / 100.0, at);
      case 1 -> ProbeResult.failure("writer", 503, random.nextInt(1_000) / 100.0, "HTTP 503", at);
      case 2 -> ProbeResult.failure("writer", null, null, "timeout after 5000 ms", at);
      default -> ProbeResult.failure("writer", null, null, "błąd " + random.nextInt(5), at);
    };
  }
}
