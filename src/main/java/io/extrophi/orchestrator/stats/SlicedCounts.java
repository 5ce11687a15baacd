package io.extrophi.orchestrator.stats;

import java.util.Arrays;

/**
 * The counts of a {@link LatencyWindow}: per histogram bucket and per slice, kept as one sorted
 * list of the buckets in use in any slice, each with a row of one count per slice.
 *
 * <p><b>Why one list for all slices.</b> The slices of a window hold the same latency distribution
 * at different times, so they use nearly the same buckets. One sparse list per slice (version 2 of
 * this window) stored each bucket's index once per slice, with a 16-bit count; here the index is
 * stored once and the counts of a row are as narrow as the largest count allows: 8 bits (most rows:
 * a 15-minute slice at one probe a second spreads 900 samples over some 200 buckets), then 16, then
 * 32 bits, for the whole table at once. With four slices that is 6 bytes a bucket instead of 16: a
 * full window at one probe a second takes some 1.7 KB instead of 3.5 KB.
 *
 * <p>The table narrows again when a slice is cleared and what is left fits, and rows no slice uses
 * any longer are removed then, so the memory follows the window.
 *
 * <p>Not thread-safe.
 */
final class SlicedCounts {

  private static final int INITIAL_CAPACITY = 8;
  private static final int BYTE_LIMIT = 0xFF;

  private final int slices;
  // Sorted bucket indexes of the rows; null while the table is empty.
  private char[] buckets;
  // counts[row * slices + slice], in exactly one of these (the others null); unsigned.
  private byte[] byteCounts;
  private char[] charCounts;
  private int[] intCounts;
  private int rows;

  SlicedCounts(int slices) {
    this.slices = slices;
  }

  /** Rows (buckets in use in at least one slice). */
  int rows() {
    return rows;
  }

  /** The bucket index of row {@code row}, ascending with the row. */
  int bucketAt(int row) {
    return buckets[row];
  }

  /** The count of {@code slice} in row {@code row}. */
  int countAt(int row, int slice) {
    int at = row * slices + slice;
    if (byteCounts != null) {
      return byteCounts[at] & BYTE_LIMIT;
    }
    return charCounts != null ? charCounts[at] : intCounts[at];
  }

  /**
   * Adds {@code count} samples to {@code bucket} in {@code slice}; a count saturates at {@link
   * Integer#MAX_VALUE}.
   *
   * @param bucket a bucket index, 0 to 65,535
   */
  void add(int bucket, int slice, int count) {
    int row = rowOf(bucket);
    set(row, slice, (int) Math.min((long) countAt(row, slice) + count, Integer.MAX_VALUE));
  }

  /**
   * Makes room for {@code capacity} rows at once, for a table read from the state file: rows added
   * one by one grow the arrays a quarter at a time, which was most of the time a restore spent on
   * the latency windows, and left a quarter of them unused.
   */
  void reserve(int capacity) {
    if (capacity <= 0) {
      return;
    }
    if (buckets == null) {
      buckets = new char[capacity];
      byteCounts = new byte[capacity * slices];
    } else if (capacity > buckets.length) {
      resize(capacity, width());
    }
  }

  /** Samples of {@code slice} in all buckets together. */
  long total(int slice) {
    long total = 0;
    for (int row = 0; row < rows; row++) {
      total += countAt(row, slice);
    }
    return total;
  }

  /**
   * Empties {@code slice}: its counts become zero, rows no slice uses any more are removed, and the
   * table narrows to the smallest count type what is left fits in.
   */
  void clear(int slice) {
    if (rows == 0) {
      return;
    }
    int kept = 0;
    int largest = 0;
    for (int row = 0; row < rows; row++) {
      boolean used = false;
      for (int s = 0; s < slices; s++) {
        int count = s == slice ? 0 : countAt(row, s);
        used |= count != 0;
        largest = Math.max(largest, count);
      }
      if (used) {
        buckets[kept] = buckets[row];
        for (int s = 0; s < slices; s++) {
          store(kept * slices + s, s == slice ? 0 : countAt(row, s));
        }
        kept++;
      }
    }
    rows = kept;
    if (rows == 0) {
      buckets = null;
      byteCounts = null;
      charCounts = null;
      intCounts = null;
      return;
    }
    // Give back what a busier past grew the table to.
    int capacity = buckets.length > rows + rows / 2 + INITIAL_CAPACITY ? rows + rows / 4 : 0;
    resize(capacity == 0 ? buckets.length : capacity, widthFor(largest));
  }

  /** Estimated heap bytes: the object and its arrays. */
  long estimatedFootprintBytes() {
    long bytes = Footprint.object(8 + 4 * Footprint.REFERENCE);
    if (buckets == null) {
      return bytes;
    }
    return bytes
        + Footprint.array(2, buckets.length)
        + Footprint.array(width(), buckets.length * slices);
  }

  /** Bytes of one count as the table holds it now: 1, 2 or 4. */
  int width() {
    if (byteCounts != null || buckets == null) {
      return 1;
    }
    return charCounts != null ? 2 : 4;
  }

  /** The row of {@code bucket}, inserted (all counts zero) when it is not in the table yet. */
  private int rowOf(int bucket) {
    if (buckets == null) {
      buckets = new char[INITIAL_CAPACITY];
      byteCounts = new byte[INITIAL_CAPACITY * slices];
    }
    int found = Arrays.binarySearch(buckets, 0, rows, (char) bucket);
    if (found >= 0) {
      return found;
    }
    int row = -found - 1;
    if (rows == buckets.length) {
      resize(rows + Math.max(4, rows >> 2), width());
    }
    System.arraycopy(buckets, row, buckets, row + 1, rows - row);
    Object counts = counts();
    System.arraycopy(counts, row * slices, counts, (row + 1) * slices, (rows - row) * slices);
    buckets[row] = (char) bucket;
    rows++;
    for (int s = 0; s < slices; s++) {
      store(row * slices + s, 0);
    }
    return row;
  }

  private void set(int row, int slice, int count) {
    if (count > limitOf(width())) {
      resize(buckets.length, widthFor(count));
    }
    store(row * slices + slice, count);
  }

  /** Writes a count that fits the current width. */
  private void store(int at, int count) {
    if (byteCounts != null) {
      byteCounts[at] = (byte) count;
    } else if (charCounts != null) {
      charCounts[at] = (char) count;
    } else {
      intCounts[at] = count;
    }
  }

  /** Copies the table into arrays of {@code capacity} rows and counts of {@code width} bytes. */
  private void resize(int capacity, int width) {
    int oldWidth = width();
    if (capacity == buckets.length && width == oldWidth) {
      return;
    }
    int used = rows * slices;
    int[] values = new int[used];
    for (int i = 0; i < used; i++) {
      values[i] = countAt(i / slices, i % slices);
    }
    buckets = Arrays.copyOf(buckets, capacity);
    byteCounts = width == 1 ? new byte[capacity * slices] : null;
    charCounts = width == 2 ? new char[capacity * slices] : null;
    intCounts = width == 4 ? new int[capacity * slices] : null;
    for (int i = 0; i < used; i++) {
      store(i, values[i]);
    }
  }

  private Object counts() {
    if (byteCounts != null) {
      return byteCounts;
    }
    return charCounts != null ? charCounts : intCounts;
  }

  private static int widthFor(int count) {
    if (count <= BYTE_LIMIT) {
      return 1;
    }
    return count <= Character.MAX_VALUE ? 2 : 4;
  }

  private static int limitOf(int width) {
    return switch (width) {
      case 1 -> BYTE_LIMIT;
      case 2 -> Character.MAX_VALUE;
      default -> Integer.MAX_VALUE;
    };
  }
}
