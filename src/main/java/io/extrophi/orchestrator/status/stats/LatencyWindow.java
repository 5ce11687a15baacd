package io.extrophi.orchestrator.status.stats;

import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.PackedHistogram;

/**
 * Response-time percentiles (p50, p95, p99, max) of one service over a sliding window, default one
 * hour, built from HdrHistogram histograms.
 *
 * <p><b>Sliding.</b> The window is covered by a ring of {@code K} sub-window histograms ("slices",
 * default 4 of 15 minutes). A sample goes into the slice of its {@code nowMillis}; a slice is
 * cleared lazily when the ring comes round to it again or when a query finds it older than the
 * window. A query merges the slices still inside the window, that is the current (partly filled)
 * slice and the {@code K-1} before it, so the window really covers between {@code window - slice}
 * and {@code window} of history: with the defaults between 45 and 60 minutes. More slices make the
 * edge finer at the cost of one histogram each.
 *
 * <p><b>Precision.</b> Values are recorded in microseconds, 2 significant digits (at most 1 %
 * error), from 1 µs to 10 minutes; larger values are clamped to 10 minutes (no probe waits that
 * long) and auto-resize is off, so a slice can never grow its range. The reported max is exact
 * (kept beside each slice); percentiles are HdrHistogram's highest-equivalent values, capped at
 * that max.
 *
 * <p><b>Counts type.</b> Slices are {@link PackedHistogram}s, not {@code IntCountsHistogram} or
 * {@code ShortCountsHistogram}: at this range and precision a flat counts array has 3,072 entries,
 * i.e. 6.5 KB per slice as shorts and 12.8 KB as ints, 26–51 KB per service for four slices, which
 * alone would break the budget of 10,000 services in 300 MB. A packed histogram stores only the
 * buckets in use; probe latencies of one service cluster in a few dozen buckets, so a full
 * 15-minute slice costs about 1.3 KB (measured with {@code getEstimatedFootprintInBytes}), an empty
 * slot nothing (slices are allocated on first use), and counts cannot overflow as shorts could.
 * Recording into a packed histogram is slower than into a flat array, which does not matter at
 * probe rates.
 *
 * <p><b>Footprint per service</b> (default 1 h / 4 slices), from {@link
 * #estimatedFootprintBytes()}: 176 bytes empty; with all four slices full of a log-normal latency
 * around 20 ms, 4.0 KB at one probe per 10 s and 4.9 KB at one probe per second (see {@code
 * StatsFootprintTest}). The theoretical worst case, samples spread over every bucket from 1 µs to
 * 10 min in every slice, is about 5 KB per slice. Queries merge into one scratch {@link Histogram}
 * per thread (25 KB per event-loop thread, not per service).
 *
 * <p>Not thread-safe: one instance is used by one event loop. No clock: time is always passed in.
 */
public final class LatencyWindow {

  /** Default window: one hour. */
  public static final long DEFAULT_WINDOW_MILLIS = 3_600_000L;

  /** Default number of slices: four of 15 minutes for the default window. */
  public static final int DEFAULT_SLICES = 4;

  /** Upper bound on slices, so a corrupted state file cannot ask for a huge ring. */
  public static final int MAX_SLICES = 1_024;

  static final long LOWEST_MICROS = 1;
  static final long HIGHEST_MICROS = 600_000_000L; // 10 minutes
  static final int SIGNIFICANT_DIGITS = 2;

  private static final byte TYPE_TAG = 'L';
  private static final byte FORMAT_VERSION = 1;
  private static final long NO_SLICE = Long.MIN_VALUE;

  // HdrHistogram's compressed form: int cookie, int compressed length, deflated 40-byte header and
  // counts. A full slice at our range needs well under 32 KB, so anything bigger is corrupt.
  private static final int MAX_ENCODED_SLICE_BYTES = 64 * 1024;
  private static final int HISTOGRAM_HEADER_BYTES = 40;

  // One merge target per thread instead of one per service: it is only needed during a query.
  private static final ThreadLocal<Histogram> SCRATCH =
      ThreadLocal.withInitial(
          () -> new Histogram(LOWEST_MICROS, HIGHEST_MICROS, SIGNIFICANT_DIGITS));

  private final long windowMillis;
  private final long sliceMillis;
  private final int slices;
  private final PackedHistogram[] histograms;
  private final long[] sliceIds;
  private final long[] maxMicros;

  /** A one-hour window of four 15-minute slices. */
  public LatencyWindow() {
    this(DEFAULT_WINDOW_MILLIS, DEFAULT_SLICES);
  }

  /**
   * @param windowMillis length of the window; must be a positive multiple of {@code slices}
   * @param slices number of sub-window histograms, 1 to {@link #MAX_SLICES}
   */
  public LatencyWindow(long windowMillis, int slices) {
    if (slices < 1 || slices > MAX_SLICES) {
      throw new IllegalArgumentException("slices must be 1.." + MAX_SLICES + ": " + slices);
    }
    if (windowMillis <= 0 || windowMillis % slices != 0) {
      throw new IllegalArgumentException(
          "window must be a positive multiple of " + slices + " ms: " + windowMillis);
    }
    this.windowMillis = windowMillis;
    this.sliceMillis = windowMillis / slices;
    this.slices = slices;
    this.histograms = new PackedHistogram[slices];
    this.sliceIds = new long[slices];
    this.maxMicros = new long[slices];
    Arrays.fill(sliceIds, NO_SLICE);
  }

  public long windowMillis() {
    return windowMillis;
  }

  public int slices() {
    return slices;
  }

  /**
   * Records one response time observed at {@code nowMillis}. Time is expected not to go backwards;
   * a sample for a slice the ring has already reused for later time is outside the window and is
   * dropped.
   *
   * @param responseTimeMs non-negative, finite; above 10 minutes it is recorded as 10 minutes
   * @throws IllegalArgumentException when negative, NaN or infinite
   */
  public void record(double responseTimeMs, long nowMillis) {
    if (!(responseTimeMs >= 0) || Double.isInfinite(responseTimeMs)) {
      throw new IllegalArgumentException("invalid response time: " + responseTimeMs);
    }
    long micros = Math.min(Math.round(responseTimeMs * 1000.0), HIGHEST_MICROS);
    long sliceId = Math.floorDiv(nowMillis, sliceMillis);
    int slot = (int) Math.floorMod(sliceId, (long) slices);
    if (sliceIds[slot] != sliceId) {
      if (histograms[slot] != null && sliceIds[slot] > sliceId) {
        return;
      }
      clear(slot);
      sliceIds[slot] = sliceId;
    }
    if (histograms[slot] == null) {
      histograms[slot] = newSlice();
    }
    histograms[slot].recordValue(micros);
    maxMicros[slot] = Math.max(maxMicros[slot], micros);
  }

  /** Percentiles of the samples in the window ending at {@code nowMillis}. */
  public Percentiles percentiles(long nowMillis) {
    long current = Math.floorDiv(nowMillis, sliceMillis);
    Histogram merged = SCRATCH.get();
    merged.reset();
    long max = 0;
    for (int slot = 0; slot < slices; slot++) {
      if (histograms[slot] == null) {
        continue;
      }
      if (sliceIds[slot] <= current - slices) {
        // Lazily drop what left the window so its memory is returned, not only ignored.
        clear(slot);
      } else if (sliceIds[slot] <= current) {
        merged.add(histograms[slot]);
        max = Math.max(max, maxMicros[slot]);
      }
    }
    long count = merged.getTotalCount();
    if (count == 0) {
      return Percentiles.EMPTY;
    }
    return new Percentiles(
        millis(Math.min(merged.getValueAtPercentile(50.0), max)),
        millis(Math.min(merged.getValueAtPercentile(95.0), max)),
        millis(Math.min(merged.getValueAtPercentile(99.0), max)),
        millis(max),
        count);
  }

  /**
   * Estimated heap bytes of this window: its own arrays plus {@code getEstimatedFootprintInBytes}
   * of every allocated slice.
   */
  public long estimatedFootprintBytes() {
    long bytes =
        Footprint.object(8 + 8 + 4 + 3 * Footprint.REFERENCE)
            + Footprint.array(Footprint.REFERENCE, slices)
            + 2 * Footprint.array(8, slices);
    for (PackedHistogram histogram : histograms) {
      if (histogram != null) {
        bytes += histogram.getEstimatedFootprintInBytes();
      }
    }
    return bytes;
  }

  /**
   * Appends the window: type tag, format version, window and slice count, then per slot a presence
   * byte and, when present, slice id, exact max and the HdrHistogram compressed encoding.
   */
  public void writeTo(Buffer out) {
    out.appendByte(TYPE_TAG).appendByte(FORMAT_VERSION).appendLong(windowMillis).appendInt(slices);
    for (int slot = 0; slot < slices; slot++) {
      PackedHistogram histogram = histograms[slot];
      if (histogram == null) {
        out.appendByte((byte) 0);
        continue;
      }
      ByteBuffer encoded = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
      int length = histogram.encodeIntoCompressedByteBuffer(encoded);
      out.appendByte((byte) 1)
          .appendLong(sliceIds[slot])
          .appendLong(maxMicros[slot])
          .appendInt(length)
          .appendBytes(encoded.array(), 0, length);
    }
  }

  /**
   * Reads a window written by {@link #writeTo(Buffer)}, advancing {@code in}.
   *
   * @throws CorruptStateException when the input is not a valid encoding
   */
  public static LatencyWindow readFrom(BufferReader in) {
    in.expectHeader(TYPE_TAG, FORMAT_VERSION, "latency window");
    long windowMillis = in.readLong();
    int slices = in.readInt("slice count", 1, MAX_SLICES);
    if (windowMillis <= 0 || windowMillis % slices != 0) {
      throw new CorruptStateException(
          "window " + windowMillis + " ms is not a positive multiple of " + slices + " slices");
    }
    LatencyWindow window = new LatencyWindow(windowMillis, slices);
    for (int slot = 0; slot < slices; slot++) {
      byte present = in.readByte();
      if (present == 0) {
        continue;
      }
      if (present != 1) {
        throw new CorruptStateException("bad slice marker " + present + " for slot " + slot);
      }
      long sliceId = in.readLong();
      long max = in.readLong();
      int length = in.readInt("encoded slice length", 8, MAX_ENCODED_SLICE_BYTES);
      byte[] encoded = in.readBytes(length);
      if (Math.floorMod(sliceId, (long) slices) != slot) {
        throw new CorruptStateException("slice " + sliceId + " stored in wrong slot " + slot);
      }
      if (max < 0 || max > HIGHEST_MICROS) {
        throw new CorruptStateException("max " + max + " µs out of range in slot " + slot);
      }
      window.histograms[slot] = decodeSlice(encoded, slot);
      window.sliceIds[slot] = sliceId;
      window.maxMicros[slot] = max;
    }
    return window;
  }

  private static PackedHistogram decodeSlice(byte[] encoded, int slot) {
    checkHistogramHeader(encoded, slot);
    try {
      return PackedHistogram.decodeFromCompressedByteBuffer(
          ByteBuffer.wrap(encoded), HIGHEST_MICROS);
    } catch (DataFormatException | RuntimeException e) {
      throw new CorruptStateException("undecodable histogram in slot " + slot, e);
    }
  }

  /**
   * Inflates only the 40-byte histogram header and checks it describes exactly our range and
   * precision. HdrHistogram sizes its buffers from that header, so a forged header could otherwise
   * make it allocate far more than a slice can need.
   */
  private static void checkHistogramHeader(byte[] encoded, int slot) {
    int compressedLength = ByteBuffer.wrap(encoded).getInt(4);
    if (compressedLength < 0 || compressedLength > encoded.length - 8) {
      throw new CorruptStateException("bad compressed length in slot " + slot);
    }
    byte[] header = new byte[HISTOGRAM_HEADER_BYTES];
    Inflater inflater = new Inflater();
    try {
      inflater.setInput(encoded, 8, compressedLength);
      if (inflater.inflate(header) < HISTOGRAM_HEADER_BYTES) {
        throw new CorruptStateException("truncated histogram header in slot " + slot);
      }
    } catch (DataFormatException e) {
      throw new CorruptStateException("undecodable histogram in slot " + slot, e);
    } finally {
      inflater.end();
    }
    ByteBuffer fields = ByteBuffer.wrap(header);
    int payloadLength = fields.getInt(4);
    int normalizingIndexOffset = fields.getInt(8);
    int digits = fields.getInt(12);
    long lowest = fields.getLong(16);
    long highest = fields.getLong(24);
    if (digits != SIGNIFICANT_DIGITS
        || lowest != LOWEST_MICROS
        || highest != HIGHEST_MICROS
        || normalizingIndexOffset != 0
        || payloadLength < 0
        || payloadLength > MAX_ENCODED_SLICE_BYTES) {
      throw new CorruptStateException(
          "histogram in slot "
              + slot
              + " has unexpected layout (digits "
              + digits
              + ", range "
              + lowest
              + ".."
              + highest
              + ", payload "
              + payloadLength
              + ")");
    }
  }

  private static PackedHistogram newSlice() {
    PackedHistogram histogram =
        new PackedHistogram(LOWEST_MICROS, HIGHEST_MICROS, SIGNIFICANT_DIGITS);
    histogram.setAutoResize(false);
    return histogram;
  }

  private void clear(int slot) {
    // Dropping the histogram rather than reset() returns the packed storage it grew to.
    histograms[slot] = null;
    sliceIds[slot] = NO_SLICE;
    maxMicros[slot] = 0;
  }

  private static Double millis(long micros) {
    // Integer micros to ms with two decimals, half up: micros / 10 is hundredths of a ms.
    return Math.round(micros / 10.0) / 100.0;
  }
}
