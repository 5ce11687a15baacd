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
 * <p><b>Counts type.</b> A slice is a {@link PreviousBucketCounts}: only the buckets in use,
 * sorted, 16 bits for the bucket index and (until a count needs more) for the count. At this range
 * and precision a flat counts array has 1,536 entries, 3 KB per slice as shorts, 12 KB per service,
 * which would break the budget of 10,000 services in 300 MB. An HdrHistogram {@code
 * PackedHistogram} (version 1 of this class) was small too, but a query walked all 3,072 indexes of
 * every slice through its packed index, and queries happen after every probe result: that was most
 * of the CPU of a trigger round.
 *
 * <p><b>Footprint per service</b> (default 1 h / 4 slices), from {@link
 * #estimatedFootprintBytes()}: 176 bytes empty; for a service checked every 30 s, well under 1 KB;
 * with all four slices full of a log-normal latency around 20 ms at one probe per second (a spread
 * over some 200 buckets per slice), about 3.5 KB (see {@code StatsFootprintTest}). Queries merge
 * the slices in one scratch array per thread, not per service.
 *
 * <p>Not thread-safe: one instance is used by one event loop. No clock: time is always passed in.
 */
public final class PreviousLatencyWindow {

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
  private static final byte FORMAT_VERSION = 2;
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
  private final PreviousBucketCounts[] histograms;
  private final long[] sliceIds;
  private final long[] maxMicros;

  /** A one-hour window of four 15-minute slices. */
  PreviousLatencyWindow() {
    this(DEFAULT_WINDOW_MILLIS, DEFAULT_SLICES);
  }

  /**
   * @param windowMillis length of the window; must be a positive multiple of {@code slices}
   * @param slices number of sub-window histograms, 1 to {@link #MAX_SLICES}
   */
  PreviousLatencyWindow(long windowMillis, int slices) {
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
    this.histograms = new PreviousBucketCounts[slices];
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
      histograms[slot] = new PreviousBucketCounts();
    }
    histograms[slot].add(indexOf(micros), 1);
    maxMicros[slot] = Math.max(maxMicros[slot], micros);
  }

  /** Percentiles of the samples in the window ending at {@code nowMillis}. */
  public Percentiles percentiles(long nowMillis) {
    long current = Math.floorDiv(nowMillis, sliceMillis);
    long[] merged = SCRATCH.get();
    int lowest = Integer.MAX_VALUE;
    int highest = -1;
    long count = 0;
    long max = 0;
    for (int slot = 0; slot < slices; slot++) {
      PreviousBucketCounts slice = histograms[slot];
      if (slice == null) {
        continue;
      }
      if (sliceIds[slot] <= current - slices) {
        // Lazily drop what left the window so its memory is returned, not only ignored.
        clear(slot);
      } else if (sliceIds[slot] <= current && slice.size() > 0) {
        for (int i = 0; i < slice.size(); i++) {
          merged[slice.indexAt(i)] += slice.countAt(i);
        }
        count += slice.total();
        lowest = Math.min(lowest, slice.indexAt(0));
        highest = Math.max(highest, slice.indexAt(slice.size() - 1));
        max = Math.max(max, maxMicros[slot]);
      }
    }
    if (count == 0) {
      return Percentiles.EMPTY;
    }
    // Only the buckets between the lowest and the highest in use: latencies cluster, so this is a
    // few hundred of the 3,072 at most, and it leaves the merge area zeroed for the next query.
    Percentiles percentiles =
        new Percentiles(
            millis(Math.min(valueAtPercentile(merged, lowest, highest, count, 50.0), max)),
            millis(Math.min(valueAtPercentile(merged, lowest, highest, count, 95.0), max)),
            millis(Math.min(valueAtPercentile(merged, lowest, highest, count, 99.0), max)),
            millis(max),
            count);
    Arrays.fill(merged, lowest, highest + 1, 0);
    return percentiles;
  }

  /**
   * HdrHistogram's {@code getValueAtPercentile} over merged counts per bucket index: the highest
   * value of the first bucket at which the running count reaches the percentile's share of all
   * samples.
   */
  private static long valueAtPercentile(
      long[] counts, int lowest, int highest, long total, double percentile) {
    // As HdrHistogram does: one ulp less, so that rounding up cannot overrun into the next bucket.
    double requested =
        Math.min(Math.max(Math.nextAfter(percentile, Double.NEGATIVE_INFINITY), 0.0), 100.0);
    long countAtPercentile = Math.max(1, (long) Math.ceil((requested * total) / 100.0));
    long running = 0;
    int index = lowest;
    for (; index < highest; index++) {
      running += counts[index];
      if (running >= countAtPercentile) {
        break;
      }
    }
    return highestValueOf(index);
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

  /**
   * Estimated heap bytes of this window: its own arrays plus {@code getEstimatedFootprintInBytes}
   * of every allocated slice.
   */
  public long estimatedFootprintBytes() {
    long bytes =
        Footprint.object(8 + 8 + 4 + 3 * Footprint.REFERENCE)
            + Footprint.array(Footprint.REFERENCE, slices)
            + 2 * Footprint.array(8, slices);
    for (PreviousBucketCounts histogram : histograms) {
      if (histogram != null) {
        bytes += histogram.estimatedFootprintBytes();
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
      PreviousBucketCounts slice = histograms[slot];
      if (slice == null) {
        out.appendByte((byte) 0);
        continue;
      }
      out.appendByte((byte) 1)
          .appendLong(sliceIds[slot])
          .appendLong(maxMicros[slot])
          .appendInt(slice.size());
      for (int i = 0; i < slice.size(); i++) {
        out.appendInt(BUCKETS[slice.indexAt(i)]).appendInt(slice.countAt(i));
      }
    }
  }

  /**
   * Reads a window written by {@link #writeTo(Buffer)}, advancing {@code in}.
   *
   * @throws CorruptStateException when the input is not a valid encoding
   */
  static PreviousLatencyWindow readFrom(BufferReader in) {
    byte version =
        in.expectHeader(TYPE_TAG, FORMAT_VERSION_HISTOGRAMS, FORMAT_VERSION, "latency window");
    long windowMillis = in.readLong();
    int slices = in.readInt("slice count", 1, MAX_SLICES);
    if (windowMillis <= 0 || windowMillis % slices != 0) {
      throw new CorruptStateException(
          "window " + windowMillis + " ms is not a positive multiple of " + slices + " slices");
    }
    PreviousLatencyWindow window = new PreviousLatencyWindow(windowMillis, slices);
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
      PreviousBucketCounts counts =
          version == FORMAT_VERSION_HISTOGRAMS ? readHistogramSlice(in, slot) : readSlice(in, slot);
      if (Math.floorMod(sliceId, (long) slices) != slot) {
        throw new CorruptStateException("slice " + sliceId + " stored in wrong slot " + slot);
      }
      if (max < 0 || max > HIGHEST_MICROS) {
        throw new CorruptStateException("max " + max + " µs out of range in slot " + slot);
      }
      window.histograms[slot] = counts;
      window.sliceIds[slot] = sliceId;
      window.maxMicros[slot] = max;
    }
    return window;
  }

  private static PreviousBucketCounts readSlice(BufferReader in, int slot) {
    int size = in.readInt("bucket count", 1, BUCKETS.length);
    PreviousBucketCounts counts = new PreviousBucketCounts();
    int previous = -1;
    for (int i = 0; i < size; i++) {
      int bucket = in.readInt("bucket", 0, (int) HIGHEST_MICROS);
      int count = in.readInt("bucket count", 1, Integer.MAX_VALUE);
      int index = indexOf(bucket);
      if (bucket <= previous || BUCKETS[index] != bucket) {
        throw new CorruptStateException("bad bucket " + bucket + " in slot " + slot);
      }
      counts.add(index, count);
      previous = bucket;
    }
    return counts;
  }

  /** A slice as format version 1 stored it: an HdrHistogram compressed histogram. */
  private static PreviousBucketCounts readHistogramSlice(BufferReader in, int slot) {
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
    PreviousBucketCounts counts = new PreviousBucketCounts();
    for (HistogramIterationValue value : histogram.recordedValues()) {
      long count = Math.min(value.getCountAtValueIteratedTo(), Integer.MAX_VALUE);
      counts.add(indexOf(value.getValueIteratedTo()), (int) count);
    }
    return counts;
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
    // Dropping the slice rather than emptying it returns the arrays it grew to.
    histograms[slot] = null;
    sliceIds[slot] = NO_SLICE;
    maxMicros[slot] = 0;
  }

  private static Double millis(long micros) {
    // Integer micros to ms with two decimals, half up: micros / 10 is hundredths of a ms.
    return Math.round(micros / 10.0) / 100.0;
  }
}
