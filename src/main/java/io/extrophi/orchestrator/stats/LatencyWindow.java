package io.extrophi.orchestrator.stats;

import io.extrophi.orchestrator.state.CorruptStateException;
import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
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
 * <p><b>Precision.</b> Values are recorded in microseconds from 1 µs to 10 minutes; larger values
 * are clamped to 10 minutes (no probe waits that long). A bucket is two adjacent buckets of
 * HdrHistogram's layout at 2 significant digits, so 0.8-1.6 % wide (exact below 256 µs to within 2
 * µs); a percentile is the highest value of its bucket, as HdrHistogram reports it, capped at the
 * exact max kept beside each slice.
 *
 * <p><b>Counts type.</b> The counts of all slices are one {@link SlicedCounts}: the buckets in use
 * in any slice, sorted, each with one count per slice, 8 bits wide until a count needs 16 or 32. At
 * this range and precision a flat counts array has 1,536 entries, 3 KB per slice as shorts, 12 KB
 * per service, which would break the memory budget; an HdrHistogram {@code PackedHistogram}
 * (version 1 of this class) was small too, but a query walked all 3,072 indexes of every slice
 * through its packed index, and queries happen after every probe result; a sparse list per slice
 * (version 2) stored a bucket used by all four slices four times, with 16-bit counts.
 *
 * <p><b>Footprint per service</b> (default 1 h / 4 slices), from {@link
 * #estimatedFootprintBytes()}: under 200 bytes empty; for a service checked every 10 s, well under
 * 1 KB; with all four slices full of a log-normal latency around 20 ms at one probe per second (a
 * spread over some 200 buckets per slice), about 1.7 KB, where version 2 took 3.5 KB (see {@code
 * StatsFootprintTest}). Queries merge the slices in one scratch array per thread, not per service.
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
  // Version 1 stored each slice as an HdrHistogram compressed histogram; it is still read.
  private static final byte FORMAT_VERSION_HISTOGRAMS = 1;
  // Version 2 stored each slice as a list of (bucket value, count); it is still read.
  private static final byte FORMAT_VERSION_SLICES = 2;
  private static final byte FORMAT_VERSION = 3;
  private static final long NO_SLICE = Long.MIN_VALUE;

  // HdrHistogram's compressed form: int cookie, int compressed length, deflated 40-byte header and
  // counts. A full slice at our range needs well under 32 KB, so anything bigger is corrupt.
  private static final int MAX_ENCODED_SLICE_BYTES = 64 * 1024;
  private static final int HISTOGRAM_HEADER_BYTES = 40;

  /**
   * The bucket layout: HdrHistogram's at our range and precision. Only its pure functions ({@code
   * lowestEquivalentValue}, {@code highestEquivalentValue}) are used, never its counts, so one
   * instance serves every thread.
   */
  private static final Histogram LAYOUT =
      new Histogram(LOWEST_MICROS, HIGHEST_MICROS, SIGNIFICANT_DIGITS);

  /** The lowest value of every bucket of HdrHistogram's layout, ascending. */
  private static final int[] LAYOUT_BUCKETS = bucketsOf(LAYOUT);

  /**
   * Our buckets: two adjacent buckets of HdrHistogram's layout each (named by the lowest value of
   * the first), so 0.8-1.6 % wide instead of 0.4-0.8 %. Latencies spread over fewer buckets, which
   * halves the memory of a latency window at one probe a second (about 7 KB to 3.5 KB per service)
   * for a precision that still shows a 2 % change.
   */
  private static final int[] BUCKETS = everySecond(LAYOUT_BUCKETS);

  // One merge area per thread instead of one per service, a count per bucket of the layout: it is
  // only needed during a query, which leaves it all zeros again.
  private static final ThreadLocal<long[]> SCRATCH =
      ThreadLocal.withInitial(() -> new long[BUCKETS.length]);

  private final long windowMillis;
  private final long sliceMillis;
  private final int slices;
  private final SlicedCounts counts;
  private final long[] sliceIds;
  // The exact largest value of each slice: at most HIGHEST_MICROS, so an int.
  private final int[] maxMicros;

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
    this.counts = new SlicedCounts(slices);
    this.sliceIds = new long[slices];
    this.maxMicros = new int[slices];
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
      if (sliceIds[slot] != NO_SLICE && sliceIds[slot] > sliceId) {
        return;
      }
      clear(slot);
      sliceIds[slot] = sliceId;
    }
    counts.add(indexOf(micros), slot, 1);
    maxMicros[slot] = (int) Math.max(maxMicros[slot], micros);
  }

  /** Percentiles of the samples in the window ending at {@code nowMillis}. */
  public Percentiles percentiles(long nowMillis) {
    long current = Math.floorDiv(nowMillis, sliceMillis);
    int[] live = new int[slices];
    int liveCount = 0;
    long max = 0;
    for (int slot = 0; slot < slices; slot++) {
      if (sliceIds[slot] == NO_SLICE) {
        continue;
      }
      if (sliceIds[slot] <= current - slices) {
        // Lazily drop what left the window so its memory is returned, not only ignored.
        clear(slot);
      } else if (sliceIds[slot] <= current) {
        live[liveCount++] = slot;
        max = Math.max(max, maxMicros[slot]);
      }
    }
    // The live slices' counts summed per row, in one scratch array per thread.
    int rows = counts.rows();
    long[] merged = SCRATCH.get();
    long count = 0;
    for (int row = 0; row < rows; row++) {
      long sum = 0;
      for (int i = 0; i < liveCount; i++) {
        sum += counts.countAt(row, live[i]);
      }
      merged[row] = sum;
      count += sum;
    }
    if (count == 0) {
      return Percentiles.EMPTY;
    }
    long p50 = countAtPercentile(50.0, count);
    long p95 = countAtPercentile(95.0, count);
    long p99 = countAtPercentile(99.0, count);
    long value50 = -1;
    long value95 = -1;
    long value99 = -1;
    long lastValue = 0;
    long running = 0;
    for (int row = 0; row < rows && value99 < 0; row++) {
      if (merged[row] == 0) {
        continue;
      }
      running += merged[row];
      lastValue = highestValueOf(counts.bucketAt(row));
      if (value50 < 0 && running >= p50) {
        value50 = lastValue;
      }
      if (value95 < 0 && running >= p95) {
        value95 = lastValue;
      }
      if (running >= p99) {
        value99 = lastValue;
      }
    }
    return new Percentiles(
        millis(Math.min(value50 < 0 ? lastValue : value50, max)),
        millis(Math.min(value95 < 0 ? lastValue : value95, max)),
        millis(Math.min(value99 < 0 ? lastValue : value99, max)),
        millis(max),
        count);
  }

  /**
   * As HdrHistogram's {@code getValueAtPercentile}: the running count at which a percentile is
   * reached, the value being the highest of the first bucket where the running count gets there.
   */
  private static long countAtPercentile(double percentile, long total) {
    // As HdrHistogram does: one ulp less, so that rounding up cannot overrun into the next bucket.
    double requested =
        Math.min(Math.max(Math.nextAfter(percentile, Double.NEGATIVE_INFINITY), 0.0), 100.0);
    return Math.max(1, (long) Math.ceil((requested * total) / 100.0));
  }

  /** The highest value bucket {@code index} holds. */
  private static long highestValueOf(int index) {
    return LAYOUT.highestEquivalentValue(
        LAYOUT_BUCKETS[Math.min(2 * index + 1, LAYOUT_BUCKETS.length - 1)]);
  }

  /** The index of the bucket {@code micros} falls in. */
  private static int indexOf(long micros) {
    return Arrays.binarySearch(LAYOUT_BUCKETS, (int) LAYOUT.lowestEquivalentValue(micros)) / 2;
  }

  private static int[] everySecond(int[] values) {
    int[] kept = new int[(values.length + 1) / 2];
    for (int i = 0; i < kept.length; i++) {
      kept[i] = values[2 * i];
    }
    return kept;
  }

  private static int[] bucketsOf(Histogram layout) {
    int[] buckets = new int[4_096];
    int count = 0;
    for (long value = 0; value <= HIGHEST_MICROS; value = layout.nextNonEquivalentValue(value)) {
      if (count == buckets.length) {
        buckets = Arrays.copyOf(buckets, 2 * count);
      }
      buckets[count++] = (int) layout.lowestEquivalentValue(value);
    }
    return Arrays.copyOf(buckets, count);
  }

  /** Estimated heap bytes of this window: its own arrays and its table of counts. */
  public long estimatedFootprintBytes() {
    return Footprint.object(8 + 8 + 4 + 3 * Footprint.REFERENCE)
        + Footprint.array(8, slices)
        + Footprint.array(4, slices)
        + counts.estimatedFootprintBytes();
  }

  /**
   * Appends the window (format version 3): type tag, format version, window and slice count, per
   * slot a presence byte and, when present, slice id and exact max; then the table of counts: its
   * rows, the bytes of one count (1, 2 or 4), and per row the bucket index and one count per slot.
   * A full window at one probe a second takes some 1.5 KB, a quarter of version 2's per-slice lists
   * of (bucket value, count) ints.
   */
  public void writeTo(Buffer out) {
    out.appendByte(TYPE_TAG).appendByte(FORMAT_VERSION).appendLong(windowMillis).appendInt(slices);
    for (int slot = 0; slot < slices; slot++) {
      if (sliceIds[slot] == NO_SLICE) {
        out.appendByte((byte) 0);
      } else {
        out.appendByte((byte) 1).appendLong(sliceIds[slot]).appendInt(maxMicros[slot]);
      }
    }
    int rows = counts.rows();
    int width = counts.width();
    out.appendInt(rows).appendByte((byte) width);
    for (int row = 0; row < rows; row++) {
      out.appendShort((short) counts.bucketAt(row));
      for (int slot = 0; slot < slices; slot++) {
        int count = counts.countAt(row, slot);
        switch (width) {
          case 1 -> out.appendByte((byte) count);
          case 2 -> out.appendShort((short) count);
          default -> out.appendInt(count);
        }
      }
    }
  }

  /**
   * Reads a window written by {@link #writeTo(Buffer)}, or by versions 1 and 2 of this class,
   * advancing {@code in}.
   *
   * @throws CorruptStateException when the input is not a valid encoding
   */
  public static LatencyWindow readFrom(BufferReader in) {
    byte version =
        in.expectHeader(TYPE_TAG, FORMAT_VERSION_HISTOGRAMS, FORMAT_VERSION, "latency window");
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
      long max = version == FORMAT_VERSION ? in.readInt() : in.readLong();
      if (version == FORMAT_VERSION_HISTOGRAMS) {
        readHistogramSlice(in, slot, window.counts);
      } else if (version == FORMAT_VERSION_SLICES) {
        readSlice(in, slot, window.counts);
      }
      if (Math.floorMod(sliceId, (long) slices) != slot) {
        throw new CorruptStateException("slice " + sliceId + " stored in wrong slot " + slot);
      }
      if (max < 0 || max > HIGHEST_MICROS) {
        throw new CorruptStateException("max " + max + " µs out of range in slot " + slot);
      }
      window.sliceIds[slot] = sliceId;
      window.maxMicros[slot] = (int) max;
    }
    if (version == FORMAT_VERSION) {
      window.readTable(in);
    }
    return window;
  }

  /** The table of counts of format version 3; rows strictly ascending, counts only in slices. */
  private void readTable(BufferReader in) {
    int rows = in.readInt("bucket rows", 0, BUCKETS.length);
    int width = in.readByte();
    if (width != 1 && width != 2 && width != 4) {
      throw new CorruptStateException("bad count width " + width);
    }
    if ((long) rows * (2 + (long) width * slices) > in.remaining()) {
      throw new CorruptStateException("truncated input: " + rows + " bucket rows announced");
    }
    counts.reserve(rows);
    long[] totals = new long[slices];
    int previous = -1;
    for (int row = 0; row < rows; row++) {
      int bucket = in.readShort() & 0xFFFF;
      if (bucket <= previous || bucket >= BUCKETS.length) {
        throw new CorruptStateException("bad bucket index " + bucket + " in row " + row);
      }
      previous = bucket;
      for (int slot = 0; slot < slices; slot++) {
        long count =
            switch (width) {
              case 1 -> in.readByte() & 0xFF;
              case 2 -> in.readShort() & 0xFFFF;
              default -> in.readInt();
            };
        if (count < 0 || (count > 0 && sliceIds[slot] == NO_SLICE)) {
          throw new CorruptStateException("bad count " + count + " of slot " + slot);
        }
        if (count > 0) {
          counts.add(bucket, slot, (int) count);
          totals[slot] += count;
        }
      }
    }
    for (int slot = 0; slot < slices; slot++) {
      if (sliceIds[slot] != NO_SLICE && totals[slot] == 0) {
        throw new CorruptStateException("slot " + slot + " is present but holds no samples");
      }
    }
  }

  /** A slice as format version 2 stored it: (bucket value, count) pairs, ascending. */
  private static void readSlice(BufferReader in, int slot, SlicedCounts counts) {
    int size = in.readInt("bucket count", 1, BUCKETS.length);
    int previous = -1;
    for (int i = 0; i < size; i++) {
      int bucket = in.readInt("bucket", 0, (int) HIGHEST_MICROS);
      int count = in.readInt("bucket count", 1, Integer.MAX_VALUE);
      int index = indexOf(bucket);
      if (bucket <= previous || BUCKETS[index] != bucket) {
        throw new CorruptStateException("bad bucket " + bucket + " in slot " + slot);
      }
      counts.add(index, slot, count);
      previous = bucket;
    }
  }

  /** A slice as format version 1 stored it: an HdrHistogram compressed histogram. */
  private static void readHistogramSlice(BufferReader in, int slot, SlicedCounts counts) {
    int length = in.readInt("encoded slice length", 8, MAX_ENCODED_SLICE_BYTES);
    byte[] encoded = in.readBytes(length);
    checkHistogramHeader(encoded, slot);
    PackedHistogram histogram;
    try {
      histogram =
          PackedHistogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(encoded), HIGHEST_MICROS);
    } catch (DataFormatException | RuntimeException e) {
      throw new CorruptStateException("undecodable histogram in slot " + slot, e);
    }
    for (HistogramIterationValue value : histogram.recordedValues()) {
      long count = Math.min(value.getCountAtValueIteratedTo(), Integer.MAX_VALUE);
      counts.add(indexOf(value.getValueIteratedTo()), slot, (int) count);
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

  private void clear(int slot) {
    // The table drops the rows only this slice used, which returns the memory they took.
    counts.clear(slot);
    sliceIds[slot] = NO_SLICE;
    maxMicros[slot] = 0;
  }

  private static Double millis(long micros) {
    // Integer micros to ms with two decimals, half up: micros / 10 is hundredths of a ms.
    return Math.round(micros / 10.0) / 100.0;
  }
}
