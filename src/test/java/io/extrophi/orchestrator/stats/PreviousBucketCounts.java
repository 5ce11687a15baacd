package io.extrophi.orchestrator.stats;

import java.util.Arrays;

/**
 * Counts of samples per histogram bucket, kept sparse: only the buckets in use, as parallel arrays
 * sorted by bucket index, 16 bits each for the index and (until a count needs more) for the count.
 *
 * <p><b>Why not a histogram per slice.</b> An HdrHistogram {@code PackedHistogram} is about as
 * small (it packs counts too), but every query walks all 3,072 indexes of our layout through its
 * packed index: that was most of the CPU of building a status snapshot and of a trigger round. Here
 * a query visits only the buckets in use: a few dozen for a service checked every 30 s, a few
 * hundred for one checked every second with a spread-out latency.
 *
 * <p>Not thread-safe.
 */
final class PreviousBucketCounts {

  private static final int INITIAL_CAPACITY = 8;

  private char[] indexes = new char[INITIAL_CAPACITY];
  private char[] narrowCounts = new char[INITIAL_CAPACITY];
  private int[] wideCounts;
  private int size;

  /**
   * Adds {@code count} samples to the bucket at {@code index}; counts saturate at {@link
   * Integer#MAX_VALUE}.
   *
   * @param index a bucket index, 0 to 65,535
   */
  void add(int index, int count) {
    int at = Arrays.binarySearch(indexes, 0, size, (char) index);
    if (at >= 0) {
      setCount(at, (int) Math.min((long) countAt(at) + count, Integer.MAX_VALUE));
      return;
    }
    int insertAt = -at - 1;
    if (size == indexes.length) {
      int capacity = size + Math.max(4, size >> 2);
      indexes = Arrays.copyOf(indexes, capacity);
      if (wideCounts != null) {
        wideCounts = Arrays.copyOf(wideCounts, capacity);
      } else {
        narrowCounts = Arrays.copyOf(narrowCounts, capacity);
      }
    }
    System.arraycopy(indexes, insertAt, indexes, insertAt + 1, size - insertAt);
    if (wideCounts != null) {
      System.arraycopy(wideCounts, insertAt, wideCounts, insertAt + 1, size - insertAt);
    } else {
      System.arraycopy(narrowCounts, insertAt, narrowCounts, insertAt + 1, size - insertAt);
    }
    indexes[insertAt] = (char) index;
    size++;
    setCount(insertAt, 0);
    setCount(insertAt, count);
  }

  /** Samples in all buckets together. */
  long total() {
    long total = 0;
    for (int i = 0; i < size; i++) {
      total += countAt(i);
    }
    return total;
  }

  /** Buckets in use. */
  int size() {
    return size;
  }

  /** The index of the {@code i}-th bucket in use, in ascending order. */
  int indexAt(int i) {
    return indexes[i];
  }

  /** The count of the {@code i}-th bucket in use. */
  int countAt(int i) {
    return wideCounts != null ? wideCounts[i] : narrowCounts[i];
  }

  long estimatedFootprintBytes() {
    long counts =
        wideCounts != null
            ? Footprint.array(4, wideCounts.length)
            : Footprint.array(2, narrowCounts.length);
    return Footprint.object(4 + 3 * Footprint.REFERENCE)
        + Footprint.array(2, indexes.length)
        + counts;
  }

  private void setCount(int i, int count) {
    if (wideCounts == null && count > Character.MAX_VALUE) {
      wideCounts = new int[indexes.length];
      for (int j = 0; j < size; j++) {
        wideCounts[j] = narrowCounts[j];
      }
      narrowCounts = null;
    }
    if (wideCounts != null) {
      wideCounts[i] = count;
    } else {
      narrowCounts[i] = (char) count;
    }
  }
}
