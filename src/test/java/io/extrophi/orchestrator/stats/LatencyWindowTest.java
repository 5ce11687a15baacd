package io.extrophi.orchestrator.stats;

import static io.extrophi.orchestrator.stats.ForgedEncodings.assertRefused;
import static io.extrophi.orchestrator.testing.Truncations.assertCorruptionsFailCleanly;
import static io.extrophi.orchestrator.testing.Truncations.assertEveryTruncationFailsCleanly;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.withinPercentage;

import io.extrophi.orchestrator.testing.UnitTest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.util.Random;
import org.HdrHistogram.PackedHistogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@UnitTest
class LatencyWindowTest {

  private static final long T0 = 1_700_000_000_000L - 1_700_000_000_000L % 3_600_000L;
  private static final long MINUTE = 60_000L;

  private final LatencyWindow window = new LatencyWindow();

  @Test
  void uniformOneToHundredMillisHasTheExpectedPercentiles() {
    for (int ms = 1; ms <= 100; ms++) {
      window.record(ms, T0 + ms);
    }
    Percentiles p = window.percentiles(T0 + 1_000);
    assertThat(p.samples()).isEqualTo(100);
    assertThat(p.p50Ms()).isCloseTo(50.0, withinPercentage(1));
    assertThat(p.p95Ms()).isCloseTo(95.0, withinPercentage(1));
    assertThat(p.p99Ms()).isCloseTo(99.0, withinPercentage(1));
    assertThat(p.maxMs()).isEqualTo(100.0);
  }

  /**
   * One sample: every percentile is that sample, never above the exact max; sub-millisecond
   * precision is kept and rounded to two decimals; values above ten minutes are clamped.
   */
  @ParameterizedTest(name = "{0} ms reads as {1} ms")
  @CsvSource({"50.0, 50.0", "0.123, 0.12", "3600000.0, 600000.0"})
  void aSingleSampleIsEveryPercentile(double recordedMs, double readMs) {
    window.record(recordedMs, T0);
    Percentiles p = window.percentiles(T0);
    assertThat(p.maxMs()).isEqualTo(readMs);
    assertThat(p.p50Ms()).isEqualTo(readMs);
    assertThat(p.p99Ms()).isEqualTo(readMs);
  }

  @Test
  void rejectsNegativeAndNonFiniteValues() {
    assertThatThrownBy(() -> window.record(-1, T0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> window.record(Double.NaN, T0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> window.record(Double.POSITIVE_INFINITY, T0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void emptyWindowHasNullLatencies() {
    Percentiles p = window.percentiles(T0);
    assertThat(p).isEqualTo(Percentiles.EMPTY);
    JsonObject json = p.toJson();
    assertThat(json.fieldNames())
        .containsExactlyInAnyOrder("p50_ms", "p95_ms", "p99_ms", "max_ms", "samples");
    assertThat(json.getValue("p50_ms")).isNull();
    assertThat(json.getValue("p95_ms")).isNull();
    assertThat(json.getValue("p99_ms")).isNull();
    assertThat(json.getValue("max_ms")).isNull();
    assertThat(json.getLong("samples")).isZero();
  }

  @Test
  void toJsonCarriesTheValues() {
    window.record(10, T0);
    JsonObject json = window.percentiles(T0).toJson();
    assertThat(json.getDouble("p50_ms")).isEqualTo(10.0);
    assertThat(json.getDouble("max_ms")).isEqualTo(10.0);
    assertThat(json.getLong("samples")).isEqualTo(1);
  }

  @Test
  void samplesLeaveTheWindowSliceBySlice() {
    // Four 15-minute slices: a sample at minute 0 stays while its slice is one of the last four.
    window.record(500, T0);
    window.record(10, T0 + 20 * MINUTE);
    assertThat(window.percentiles(T0 + 59 * MINUTE).samples()).isEqualTo(2);
    assertThat(window.percentiles(T0 + 59 * MINUTE).maxMs()).isEqualTo(500.0);
    // At minute 60 the first slice is older than the window: between 45 and 60 minutes covered.
    Percentiles later = window.percentiles(T0 + 60 * MINUTE);
    assertThat(later.samples()).isEqualTo(1);
    assertThat(later.maxMs()).isEqualTo(10.0);
    assertThat(window.percentiles(T0 + 80 * MINUTE).samples()).isZero();
  }

  @Test
  void reusedSliceIsResetBeforeRecording() {
    window.record(500, T0);
    // Same ring slot one window later: the old contents must not leak into the new slice.
    window.record(7, T0 + 60 * MINUTE);
    Percentiles p = window.percentiles(T0 + 60 * MINUTE);
    assertThat(p.samples()).isEqualTo(1);
    assertThat(p.maxMs()).isEqualTo(7.0);
  }

  @Test
  void dropsSamplesOlderThanTheSliceInTheirSlot() {
    window.record(7, T0 + 60 * MINUTE);
    window.record(500, T0);
    assertThat(window.percentiles(T0 + 60 * MINUTE).maxMs()).isEqualTo(7.0);
  }

  @Test
  void expiredSlicesReleaseTheirMemory() {
    long empty = window.estimatedFootprintBytes();
    for (int i = 0; i < 100; i++) {
      window.record(i, T0 + i * MINUTE / 2);
    }
    assertThat(window.estimatedFootprintBytes()).isGreaterThan(empty);
    window.percentiles(T0 + 10 * 60 * MINUTE);
    assertThat(window.estimatedFootprintBytes()).isEqualTo(empty);
  }

  @Test
  void windowAndSlicesAreConfigurable() {
    LatencyWindow small = new LatencyWindow(10 * MINUTE, 10);
    small.record(1, T0);
    small.record(2, T0 + 5 * MINUTE);
    assertThat(small.percentiles(T0 + 9 * MINUTE).samples()).isEqualTo(2);
    assertThat(small.percentiles(T0 + 10 * MINUTE).samples()).isEqualTo(1);
    assertThat(small.percentiles(T0 + 15 * MINUTE).samples()).isZero();
    assertThatThrownBy(() -> new LatencyWindow(1_000, 3))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new LatencyWindow(1_000, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void fullWindowOfRealisticLatenciesStaysSmall() {
    fillRealistically(window, new Random(42));
    assertThat(window.percentiles(T0 + 59 * MINUTE).samples()).isEqualTo(3_600);
    // Four full 15-minute slices of a log-normal latency around 20 ms.
    assertThat(window.estimatedFootprintBytes()).isLessThan(8 * 1024);
  }

  @Test
  void roundTripsThroughBuffer() {
    fillRealistically(window, new Random(7));
    Buffer out = Buffer.buffer();
    window.writeTo(out);
    BufferReader in = new BufferReader(out);
    LatencyWindow copy = LatencyWindow.readFrom(in);
    assertThat(in.remaining()).isZero();
    assertThat(copy.windowMillis()).isEqualTo(window.windowMillis());
    assertThat(copy.slices()).isEqualTo(window.slices());
    for (long at = T0; at <= T0 + 130 * MINUTE; at += 5 * MINUTE) {
      assertThat(copy.percentiles(at)).isEqualTo(window.percentiles(at));
    }
  }

  @Test
  void roundTripsAnEmptyWindowAtAnOffset() {
    Buffer out = Buffer.buffer().appendString("junk");
    new LatencyWindow(MINUTE, 2).writeTo(out);
    LatencyWindow copy = LatencyWindow.readFrom(new BufferReader(out, 4));
    assertThat(copy.slices()).isEqualTo(2);
    assertThat(copy.percentiles(T0)).isEqualTo(Percentiles.EMPTY);
  }

  @Test
  void everyTruncationFailsCleanly() {
    window.record(12.5, T0);
    window.record(80, T0 + 20 * MINUTE);
    Buffer out = Buffer.buffer();
    window.writeTo(out);
    assertEveryTruncationFailsCleanly(out, LatencyWindow::readFrom);
  }

  @Test
  void corruptedBytesFailCleanly() {
    window.record(12.5, T0);
    Buffer out = Buffer.buffer();
    window.writeTo(out);
    Random random = new Random(3);
    // A flipped bit in a count can still decode; it must then still answer queries.
    assertCorruptionsFailCleanly(
        out, random, 500, in -> LatencyWindow.readFrom(in).percentiles(T0));
  }

  @Test
  void rejectsWrongTypeVersionAndForgedLengths() {
    assertRefused(LatencyWindow::readFrom, Buffer.buffer("A"), "type tag");
    Buffer version = Buffer.buffer().appendByte((byte) 'L').appendByte((byte) 9);
    assertRefused(LatencyWindow::readFrom, version, "version 9");
    Buffer slices = header(Integer.MAX_VALUE);
    assertRefused(LatencyWindow::readFrom, slices, "slice count");
    Buffer length =
        header(4).appendByte((byte) 1).appendLong(0).appendLong(0).appendInt(Integer.MAX_VALUE);
    assertRefused(LatencyWindow::readFrom, length, "encoded slice length");
  }

  @Test
  void rejectsHistogramsOfAnotherLayout() {
    org.HdrHistogram.Histogram foreign = new org.HdrHistogram.Histogram(1, 3_600_000_000L, 5);
    foreign.recordValue(1000);
    java.nio.ByteBuffer encoded =
        java.nio.ByteBuffer.allocate(foreign.getNeededByteBufferCapacity());
    int size = foreign.encodeIntoCompressedByteBuffer(encoded);
    Buffer forged =
        header(1)
            .appendByte((byte) 1)
            .appendLong(0)
            .appendLong(1000)
            .appendInt(size)
            .appendBytes(encoded.array(), 0, size);
    assertRefused(LatencyWindow::readFrom, forged, "unexpected layout");
  }

  @Test
  void readsWindowsSavedAsHistogramsByFormatVersionOne() {
    Random random = new Random(11);
    Buffer saved =
        Buffer.buffer()
            .appendByte((byte) 'L')
            .appendByte((byte) 1)
            .appendLong(window.windowMillis())
            .appendInt(window.slices());
    // What version 1 wrote: per slice its id, its exact max and a compressed PackedHistogram.
    for (int slot = 0; slot < window.slices(); slot++) {
      PackedHistogram slice = new PackedHistogram(1, 600_000_000L, 2);
      long sliceId = (T0 / (15 * MINUTE)) + slot;
      long max = 0;
      for (int i = 0; i < 900; i++) {
        double ms = 20.0 * Math.exp(random.nextGaussian() * 0.5);
        long micros = Math.round(ms * 1000);
        slice.recordValue(micros);
        max = Math.max(max, micros);
        window.record(ms, sliceId * 15 * MINUTE + i * 1_000L);
      }
      ByteBuffer encoded = ByteBuffer.allocate(slice.getNeededByteBufferCapacity());
      int length = slice.encodeIntoCompressedByteBuffer(encoded);
      saved.appendByte((byte) 1).appendLong(sliceId).appendLong(max).appendInt(length);
      saved.appendBytes(encoded.array(), 0, length);
    }
    LatencyWindow read = LatencyWindow.readFrom(new BufferReader(saved));
    long now = T0 + 59 * MINUTE;
    assertThat(read.percentiles(now).samples()).isEqualTo(3_600);
    assertThat(read.percentiles(now)).isEqualTo(window.percentiles(now));
  }

  @Test
  void rejectsBucketsThatAreOutOfOrderOrNotBuckets() {
    Buffer prefix =
        Buffer.buffer()
            .appendByte((byte) 'L')
            .appendByte((byte) 2)
            .appendLong(MINUTE)
            .appendInt(1)
            .appendByte((byte) 1)
            .appendLong(0)
            .appendLong(5_000)
            .appendInt(2);
    // 1,000 and 1,008 are bucket boundaries at two significant digits; 1,001 is not.
    Buffer unordered = prefix.copy().appendInt(1_008).appendInt(1).appendInt(1_000).appendInt(1);
    Buffer notABucket = prefix.copy().appendInt(1_000).appendInt(1).appendInt(1_001).appendInt(1);
    Buffer good = prefix.copy().appendInt(1_000).appendInt(1).appendInt(1_008).appendInt(3);
    for (Buffer bad : new Buffer[] {unordered, notABucket}) {
      assertRefused(LatencyWindow::readFrom, bad, "bad bucket");
    }
    assertThat(LatencyWindow.readFrom(new BufferReader(good)).percentiles(0).samples())
        .isEqualTo(4);
  }

  @Test
  void countsBeyondSixteenBitsAreKeptExactly() {
    LatencyWindow busy = new LatencyWindow(MINUTE, 1);
    for (int i = 0; i < 70_000; i++) {
      busy.record(1.0, T0);
    }
    busy.record(2.0, T0);
    Percentiles percentiles = busy.percentiles(T0);
    assertThat(percentiles.samples()).isEqualTo(70_001);
    // 1 ms falls in the bucket 1,000-1,007 µs, reported by its highest value.
    assertThat(percentiles.p50Ms()).isEqualTo(1.01);
    assertThat(percentiles.maxMs()).isEqualTo(2.0);
  }

  /** One sample every 1 s for an hour, log-normal around 20 ms: what a busy probe produces. */
  static void fillRealistically(LatencyWindow target, Random random) {
    for (int second = 0; second < 3_600; second++) {
      target.record(20.0 * Math.exp(random.nextGaussian() * 0.5), T0 + second * 1_000L);
    }
  }

  /** A window's header as it is written: tag, version, slice width, then the slice count. */
  private static Buffer header(int sliceCount) {
    return Buffer.buffer()
        .appendByte((byte) 'L')
        .appendByte((byte) 1)
        .appendLong(3_600_000L)
        .appendInt(sliceCount);
  }
}
