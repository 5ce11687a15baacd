package io.extrophi.orchestrator.stats;

import io.extrophi.orchestrator.state.CorruptStateException;
import io.vertx.core.buffer.Buffer;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Arrays;

/**
 * Availability of one service over the last hour, 24 hours, 7 days and 30 days, from hourly
 * counters of checks up and checks in total (as Gatus does), kept for 30 days.
 *
 * <p><b>Layout.</b> Two parallel rings of 720 hourly counters ({@code total} and {@code down}; up
 * is their difference) indexed by hour-of-epoch mod 720. Instead of storing the hour in every slot,
 * the newest hour seen is stored once: when time moves to a later hour, the slots of the hours
 * skipped over are zeroed (at most 720, lazily on the next record or query), so every slot always
 * belongs to one of the 720 hours ending at the newest. That saves a third array (2.9 KB per
 * service, 29 MB for 10,000 services) compared with an hour stamp per slot.
 *
 * <p><b>Windows.</b> A window of {@code N} hours ending at {@code now} is the current (partial)
 * hour bucket, the {@code N-1} buckets before it, and the bucket before those weighted by the
 * fraction of its hour that still lies inside the window. "Last 1 h" at 10:15 is therefore all of
 * the 10:00 bucket plus 75 % of the 09:00 bucket's counts. The approximation assumes checks are
 * spread evenly over an hour, which holds for periodic probes; it avoids the jump a plain "last two
 * buckets" window would make on every hour boundary. The 30-day window has no older bucket to weigh
 * (the ring holds exactly 720 hours), so it covers between 29 days 23 hours and 30 days.
 * Percentages are rounded to two decimals; a window without samples is {@code null}.
 *
 * <p>Counters saturate at {@link Integer#MAX_VALUE} per hour instead of wrapping (checks up are
 * then never reported as more than the total).
 *
 * <p><b>Footprint per service:</b> 720 bytes and a few counts beside them, about 0.9 KB, for a
 * service checked at a steady pace that has not been down in 30 days; twice that once it has; 720
 * chars per ring (1.5 KB) when its hourly counts are scattered, 5.8 KB once a counter needed more
 * than 16 bits (see {@link #estimatedFootprintBytes()} and {@link HourCounters}).
 *
 * <p>Not thread-safe: one instance is used by one event loop. No clock: time is always passed in.
 */
public final class AvailabilityBuckets {

  /** Hourly buckets kept: 30 days. */
  public static final int HOURS = 720;

  static final long HOUR_MILLIS = 3_600_000L;

  private static final byte TYPE_TAG = 'A';
  // Version 1 wrote each non-empty hour as (short age, int up, int total); it is still read.
  private static final byte FORMAT_VERSION_PER_HOUR = 1;
  private static final byte FORMAT_VERSION = 2;
  private static final long NO_HOUR = Long.MIN_VALUE;

  private final HourCounters down = new HourCounters();
  private final HourCounters total = new HourCounters();
  private long newestHour = NO_HOUR;

  /**
   * An independent copy, for answering "what if the circuit that is open right now counted as down
   * up to now" without changing the recorded counts.
   */
  public AvailabilityBuckets copy() {
    AvailabilityBuckets copy = new AvailabilityBuckets();
    copy.down.copyFrom(down);
    copy.total.copyFrom(total);
    copy.newestHour = newestHour;
    return copy;
  }

  /**
   * Counts one check at {@code nowMillis}. A check more than 30 days older than the newest hour
   * seen is dropped.
   */
  public void recordCheck(boolean isUp, long nowMillis) {
    long hour = Math.floorDiv(nowMillis, HOUR_MILLIS);
    advanceTo(hour);
    if (retained(hour)) {
      int slot = slot(hour);
      total.set(slot, saturatedAdd(total.get(slot), 1));
      if (!isUp) {
        down.set(slot, saturatedAdd(down.get(slot), 1));
      }
    }
  }

  /**
   * Counts {@code count} down samples spread evenly over {@code [fromMillis, toMillis)}: each
   * hourly bucket gets the share of {@code count} proportional to its overlap with the interval,
   * with cumulative rounding so the shares add up to exactly {@code count}. Used for the time the
   * circuit was open, which counts as down; the caller passes how many checks were skipped. Hours
   * older than the 30 days kept are skipped. When {@code fromMillis == toMillis} the whole count
   * goes into that instant's hour.
   *
   * @throws IllegalArgumentException when {@code count < 0} or {@code toMillis < fromMillis}
   */
  public void recordDown(long count, long fromMillis, long toMillis) {
    if (count < 0) {
      throw new IllegalArgumentException("negative count: " + count);
    }
    if (toMillis < fromMillis) {
      throw new IllegalArgumentException("interval ends before it starts");
    }
    if (count == 0) {
      return;
    }
    if (toMillis == fromMillis) {
      long hour = Math.floorDiv(fromMillis, HOUR_MILLIS);
      advanceTo(hour);
      addDown(hour, count);
      return;
    }
    long lastHour = Math.floorDiv(toMillis - 1, HOUR_MILLIS);
    advanceTo(lastHour);
    // Only the hours still retained get counts; start there so a huge interval costs at most 720
    // iterations. Shares are computed from the interval start, so skipping hours changes nothing.
    long firstHour = Math.max(Math.floorDiv(fromMillis, HOUR_MILLIS), newestHour - HOURS + 1);
    long duration = Math.subtractExact(toMillis, fromMillis);
    for (long hour = firstHour; hour <= lastHour; hour++) {
      long start = Math.max(fromMillis, hour * HOUR_MILLIS);
      long end = Math.min(toMillis, (hour + 1) * HOUR_MILLIS);
      long share = assignedBefore(count, start - fromMillis, duration);
      share = assignedBefore(count, end - fromMillis, duration) - share;
      addDown(hour, share);
    }
  }

  /** Availability in the four windows ending at {@code nowMillis}. */
  public Availability availability(long nowMillis) {
    long hour = Math.floorDiv(nowMillis, HOUR_MILLIS);
    advanceTo(hour);
    // Fraction of the bucket just before the window's whole buckets that still lies inside it.
    double olderFraction = 1.0 - (double) Math.floorMod(nowMillis, HOUR_MILLIS) / HOUR_MILLIS;
    return new Availability(
        percentage(hour, 1, olderFraction),
        percentage(hour, 24, olderFraction),
        percentage(hour, 24 * 7, olderFraction),
        percentage(hour, HOURS, olderFraction));
  }

  /** Estimated heap bytes: the two rings plus the object itself. */
  public long estimatedFootprintBytes() {
    return Footprint.object(8 + 2 * Footprint.REFERENCE)
        + down.estimatedFootprintBytes()
        + total.estimatedFootprintBytes();
  }

  /**
   * Appends type tag, format version (2), the newest hour, then the two rings of total and down
   * counts, oldest hour first, each as the bytes of one count (0 when every count is zero and none
   * follow; 1, 2 or 4) and its 720 counts. A service checked every 10 s for 30 days takes 1.5 KB
   * where version 1's (age, up, total) per hour took 7.2 KB.
   */
  public void writeTo(Buffer out) {
    out.appendByte(TYPE_TAG).appendByte(FORMAT_VERSION).appendLong(newestHour);
    writeRing(out, total);
    writeRing(out, down);
  }

  private void writeRing(Buffer out, HourCounters ring) {
    int largest = 0;
    if (newestHour != NO_HOUR) {
      for (int slot = 0; slot < HOURS; slot++) {
        largest = Math.max(largest, ring.get(slot));
      }
    }
    int width = largest == 0 ? 0 : largest <= 0xFF ? 1 : largest <= Character.MAX_VALUE ? 2 : 4;
    out.appendByte((byte) width);
    if (width == 0) {
      return;
    }
    for (int age = HOURS - 1; age >= 0; age--) {
      int count = ring.get(slot(newestHour - age));
      switch (width) {
        case 1 -> out.appendByte((byte) count);
        case 2 -> out.appendShort((short) count);
        default -> out.appendInt(count);
      }
    }
  }

  /**
   * Reads buckets written by {@link #writeTo(Buffer)} or by version 1 of this class, advancing
   * {@code in}.
   *
   * @throws CorruptStateException when the input is not a valid encoding
   */
  public static AvailabilityBuckets readFrom(BufferReader in) {
    byte version =
        in.expectHeader(TYPE_TAG, FORMAT_VERSION_PER_HOUR, FORMAT_VERSION, "availability buckets");
    AvailabilityBuckets buckets = new AvailabilityBuckets();
    long newestHour = in.readLong();
    if (newestHour != NO_HOUR
        && (newestHour < Long.MIN_VALUE / HOUR_MILLIS
            || newestHour > Long.MAX_VALUE / HOUR_MILLIS)) {
      throw new CorruptStateException("newest hour out of range: " + newestHour);
    }
    if (version == FORMAT_VERSION_PER_HOUR) {
      readPerHour(in, buckets, newestHour);
      return buckets;
    }
    int[] totals = readRing(in, newestHour, "total");
    int[] downs = readRing(in, newestHour, "down");
    if (newestHour == NO_HOUR) {
      return buckets;
    }
    buckets.newestHour = newestHour;
    for (int age = HOURS - 1; age >= 0; age--) {
      int at = HOURS - 1 - age;
      if (totals[at] < 0 || downs[at] < 0 || downs[at] > totals[at]) {
        throw new CorruptStateException(
            "bucket counts down " + downs[at] + " of " + totals[at] + " are inconsistent");
      }
      int slot = buckets.slot(newestHour - age);
      buckets.total.set(slot, totals[at]);
      buckets.down.set(slot, downs[at]);
    }
    return buckets;
  }

  /** A ring as {@link #writeRing} wrote it, oldest first; all zeros when not written. */
  private static int[] readRing(BufferReader in, long newestHour, String what) {
    int width = in.readByte();
    if (width != 0 && width != 1 && width != 2 && width != 4) {
      throw new CorruptStateException("bad width " + width + " of the " + what + " counts");
    }
    if (width != 0 && newestHour == NO_HOUR) {
      throw new CorruptStateException("buckets without a newest hour");
    }
    int[] counts = new int[HOURS];
    if (width == 0) {
      return counts;
    }
    if ((long) width * HOURS > in.remaining()) {
      throw new CorruptStateException("truncated input: " + what + " counts announced");
    }
    for (int i = 0; i < HOURS; i++) {
      counts[i] =
          switch (width) {
            case 1 -> in.readByte() & 0xFF;
            case 2 -> in.readShort() & 0xFFFF;
            default -> in.readInt();
          };
    }
    return counts;
  }

  /** The non-empty hours as version 1 wrote them: (age, up, total), oldest first. */
  private static void readPerHour(BufferReader in, AvailabilityBuckets buckets, long newestHour) {
    int count = in.readInt("bucket count", 0, HOURS);
    if (newestHour == NO_HOUR) {
      if (count != 0) {
        throw new CorruptStateException("buckets without a newest hour");
      }
      return;
    }
    buckets.newestHour = newestHour;
    int previousAge = HOURS;
    for (int i = 0; i < count; i++) {
      int age = in.readShort();
      int bucketUp = in.readInt();
      int bucketTotal = in.readInt();
      // Strictly decreasing ages: each hour once, oldest first.
      if (age < 0 || age >= previousAge) {
        throw new CorruptStateException("bucket age " + age + " out of order or range");
      }
      if (bucketTotal <= 0 || bucketUp < 0 || bucketUp > bucketTotal) {
        throw new CorruptStateException(
            "bucket counts up " + bucketUp + " of " + bucketTotal + " are inconsistent");
      }
      int slot = buckets.slot(newestHour - age);
      buckets.down.set(slot, bucketTotal - bucketUp);
      buckets.total.set(slot, bucketTotal);
      previousAge = age;
    }
  }

  /** Checks up in the hour containing {@code millis}; 0 when that hour is not retained. */
  int upInHour(long millis) {
    long hour = Math.floorDiv(millis, HOUR_MILLIS);
    return retained(hour) ? up(slot(hour)) : 0;
  }

  /** Checks in total in the hour containing {@code millis}; 0 when that hour is not retained. */
  int totalInHour(long millis) {
    long hour = Math.floorDiv(millis, HOUR_MILLIS);
    return retained(hour) ? total.get(slot(hour)) : 0;
  }

  private Double percentage(long hour, int windowHours, double olderFraction) {
    double sumUp = 0;
    double sumTotal = 0;
    for (long h = hour - windowHours + 1; h <= hour; h++) {
      if (retained(h)) {
        sumUp += up(slot(h));
        sumTotal += total.get(slot(h));
      }
    }
    long older = hour - windowHours;
    if (retained(older)) {
      sumUp += olderFraction * up(slot(older));
      sumTotal += olderFraction * total.get(slot(older));
    }
    if (sumTotal <= 0) {
      return null;
    }
    return BigDecimal.valueOf(sumUp * 100.0 / sumTotal)
        .setScale(2, RoundingMode.HALF_UP)
        .doubleValue();
  }

  /** Zeroes the slots of the hours between the newest seen and {@code hour}, then moves to it. */
  private void advanceTo(long hour) {
    if (newestHour == NO_HOUR) {
      newestHour = hour;
      return;
    }
    if (hour <= newestHour) {
      return;
    }
    long steps = Math.min(hour - newestHour, HOURS);
    for (long h = hour - steps + 1; h <= hour; h++) {
      down.set(slot(h), 0);
      total.set(slot(h), 0);
    }
    newestHour = hour;
  }

  private boolean retained(long hour) {
    return newestHour != NO_HOUR && hour <= newestHour && hour > newestHour - HOURS;
  }

  private void addDown(long hour, long count) {
    if (retained(hour) && count > 0) {
      int slot = slot(hour);
      total.set(slot, saturatedAdd(total.get(slot), count));
      down.set(slot, saturatedAdd(down.get(slot), count));
    }
  }

  /** Checks up in a slot: the checks that were not down (both counters saturate alike). */
  private int up(int slot) {
    return Math.max(0, total.get(slot) - down.get(slot));
  }

  private int slot(long hour) {
    return (int) Math.floorMod(hour, (long) HOURS);
  }

  /**
   * Down samples assigned to the part of the interval before {@code offset}: floor(count · offset /
   * duration), exact (no floating point) so the shares always add up to {@code count}.
   */
  private static long assignedBefore(long count, long offset, long duration) {
    long product = count * offset;
    if (Math.multiplyHigh(count, offset) == 0 && product >= 0) {
      return product / duration;
    }
    return BigInteger.valueOf(count)
        .multiply(BigInteger.valueOf(offset))
        .divide(BigInteger.valueOf(duration))
        .longValue();
  }

  private static int saturatedAdd(int current, long add) {
    return (int) Math.min((long) current + add, Integer.MAX_VALUE);
  }

  /**
   * One ring of 720 hourly counters, not allocated until a counter is set to something other than
   * zero, then held as one byte per hour: the count as an offset of 1 to 254 from a base shared by
   * the ring (0 for none; the base is moved to where most counts are when they stop fitting), and
   * the few counts that do not fit (the hour under way, an hour cut short by a restart) beside it.
   * A service checked at a steady pace counts about the same every hour (360 at 10 s), so its ring
   * takes about 0.8 KB instead of the 1.5 KB of {@code char}s. When more counts stray than {@link
   * #MOST_STRAYS}, the ring becomes 16-bit {@code char}s, and once a counter needs more than 16
   * bits (over 65,535 checks in one hour, 18 a second), {@code int}s, for good. The {@code down}
   * ring of a service that has not failed in 30 days is never allocated.
   */
  private static final class HourCounters {

    /** Counts kept beside the byte ring at most. */
    static final int MOST_STRAYS = 8;

    private static final int STRAY = 0xFF;
    private static final int LARGEST_OFFSET = 0xFE;

    // Tier 1: offsets from base (0: zero, 1-254: base + offset, STRAY: in the strays).
    private byte[] offsets;
    private int base;
    private short[] straySlots;
    private int[] strayCounts;
    private int strays;
    // Tier 2 and 3.
    private char[] narrow;
    private int[] wide;

    int get(int slot) {
      if (wide != null) {
        return wide[slot];
      }
      if (narrow != null) {
        return narrow[slot];
      }
      if (offsets == null) {
        return 0;
      }
      int offset = offsets[slot] & 0xFF;
      if (offset == STRAY) {
        return strayCounts[strayIndex(slot)];
      }
      return offset == 0 ? 0 : base + offset;
    }

    void set(int slot, int value) {
      if (wide != null) {
        wide[slot] = value;
        return;
      }
      if (narrow != null) {
        if (value <= Character.MAX_VALUE) {
          narrow[slot] = (char) value;
          return;
        }
        widen();
        wide[slot] = value;
        return;
      }
      if (offsets == null) {
        if (value == 0) {
          return;
        }
        offsets = new byte[HOURS];
      }
      if (setOffset(slot, value)) {
        return;
      }
      rebase();
      if (offsets != null && !setOffset(slot, value)) {
        toChars();
      }
      if (offsets == null) {
        set(slot, value);
      }
    }

    /** Whether the count fits the byte ring (as an offset or a stray); the slot is zero if not. */
    private boolean setOffset(int slot, int value) {
      if ((offsets[slot] & 0xFF) == STRAY) {
        removeStray(slot);
      }
      long offset = (long) value - base;
      if (value == 0 || (offset >= 1 && offset <= LARGEST_OFFSET)) {
        offsets[slot] = (byte) (value == 0 ? 0 : offset);
        return true;
      }
      if (strays == MOST_STRAYS) {
        offsets[slot] = 0;
        return false;
      }
      if (straySlots == null) {
        straySlots = new short[MOST_STRAYS];
        strayCounts = new int[MOST_STRAYS];
      }
      straySlots[strays] = (short) slot;
      strayCounts[strays] = value;
      strays++;
      offsets[slot] = (byte) STRAY;
      return true;
    }

    /**
     * Moves the base to the middle of the counts (so that an offset of up to 127 either way fits),
     * and encodes them again; leaves the byte ring for chars when half the strays are still in use
     * after it, so that a ring of scattered counts does not move its base at every count.
     */
    private void rebase() {
      int[] counts = new int[HOURS];
      int nonZero = 0;
      for (int slot = 0; slot < HOURS; slot++) {
        counts[slot] = get(slot);
        if (counts[slot] != 0) {
          nonZero++;
        }
      }
      int[] sorted = new int[nonZero];
      for (int slot = 0, at = 0; slot < HOURS; slot++) {
        if (counts[slot] != 0) {
          sorted[at++] = counts[slot];
        }
      }
      Arrays.sort(sorted);
      base = nonZero == 0 ? 0 : Math.max(0, sorted[nonZero / 2] - LARGEST_OFFSET / 2 - 1);
      Arrays.fill(offsets, (byte) 0);
      strays = 0;
      for (int slot = 0; slot < HOURS; slot++) {
        if (!setOffset(slot, counts[slot]) || strays > MOST_STRAYS / 2) {
          offsets = null;
          narrowFrom(counts);
          return;
        }
      }
    }

    private int strayIndex(int slot) {
      for (int i = 0; i < strays; i++) {
        if (straySlots[i] == slot) {
          return i;
        }
      }
      throw new IllegalStateException("no stray count for hour slot " + slot);
    }

    private void removeStray(int slot) {
      int at = strayIndex(slot);
      strays--;
      straySlots[at] = straySlots[strays];
      strayCounts[at] = strayCounts[strays];
    }

    private void toChars() {
      int[] counts = new int[HOURS];
      for (int slot = 0; slot < HOURS; slot++) {
        counts[slot] = get(slot);
      }
      narrowFrom(counts);
    }

    /** Leaves the byte ring for chars (or ints, when a count needs them) holding {@code counts}. */
    private void narrowFrom(int[] counts) {
      offsets = null;
      straySlots = null;
      strayCounts = null;
      strays = 0;
      base = 0;
      narrow = new char[HOURS];
      for (int slot = 0; slot < HOURS; slot++) {
        if (counts[slot] > Character.MAX_VALUE) {
          wide = counts.clone();
          narrow = null;
          return;
        }
        narrow[slot] = (char) counts[slot];
      }
    }

    void copyFrom(HourCounters other) {
      wide = other.wide == null ? null : other.wide.clone();
      narrow = other.narrow == null ? null : other.narrow.clone();
      offsets = other.offsets == null ? null : other.offsets.clone();
      base = other.base;
      straySlots = other.straySlots == null ? null : other.straySlots.clone();
      strayCounts = other.strayCounts == null ? null : other.strayCounts.clone();
      strays = other.strays;
    }

    long estimatedFootprintBytes() {
      long object = Footprint.object(5 * Footprint.REFERENCE + 2 * 4);
      if (wide != null) {
        return object + Footprint.array(4, HOURS);
      }
      if (narrow != null) {
        return object + Footprint.array(2, HOURS);
      }
      if (offsets == null) {
        return object;
      }
      long strayArrays =
          straySlots == null
              ? 0
              : Footprint.array(2, MOST_STRAYS) + Footprint.array(4, MOST_STRAYS);
      return object + Footprint.array(1, HOURS) + strayArrays;
    }

    private void widen() {
      wide = new int[HOURS];
      for (int i = 0; i < HOURS; i++) {
        wide[i] = narrow[i];
      }
      narrow = null;
    }
  }
}
