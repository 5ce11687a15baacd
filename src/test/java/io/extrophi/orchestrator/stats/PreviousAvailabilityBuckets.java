package io.extrophi.orchestrator.stats;

import io.extrophi.orchestrator.state.CorruptStateException;
import io.vertx.core.buffer.Buffer;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

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
 * <p><b>Footprint per service:</b> 720 chars, about 1.5 KB, for a service that has not been down in
 * 30 days; 2 × 720 chars, about 3 KB, once it has; 5.8 KB once a counter needed more than 16 bits
 * (see {@link #estimatedFootprintBytes()} and {@link HourCounters}).
 *
 * <p>Not thread-safe: one instance is used by one event loop. No clock: time is always passed in.
 */
public final class PreviousAvailabilityBuckets {

  /** Hourly buckets kept: 30 days. */
  public static final int HOURS = 720;

  static final long HOUR_MILLIS = 3_600_000L;

  private static final byte TYPE_TAG = 'A';
  private static final byte FORMAT_VERSION = 1;
  private static final long NO_HOUR = Long.MIN_VALUE;

  private final HourCounters down = new HourCounters();
  private final HourCounters total = new HourCounters();
  private long newestHour = NO_HOUR;

  /**
   * An independent copy, for answering "what if the circuit that is open right now counted as down
   * up to now" without changing the recorded counts.
   */
  PreviousAvailabilityBuckets copy() {
    PreviousAvailabilityBuckets copy = new PreviousAvailabilityBuckets();
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
   * Appends type tag, format version, the newest hour, then the non-empty buckets as (hours before
   * the newest, up, total), oldest first; a service monitored for a day stores 24 buckets, not 720.
   */
  public void writeTo(Buffer out) {
    out.appendByte(TYPE_TAG).appendByte(FORMAT_VERSION).appendLong(newestHour);
    int countAt = out.length();
    out.appendInt(0);
    int written = 0;
    if (newestHour != NO_HOUR) {
      for (int age = HOURS - 1; age >= 0; age--) {
        int slot = slot(newestHour - age);
        if (total.get(slot) != 0) {
          out.appendShort((short) age).appendInt(up(slot)).appendInt(total.get(slot));
          written++;
        }
      }
    }
    out.setInt(countAt, written);
  }

  /**
   * Reads buckets written by {@link #writeTo(Buffer)}, advancing {@code in}.
   *
   * @throws CorruptStateException when the input is not a valid encoding
   */
  static PreviousAvailabilityBuckets readFrom(BufferReader in) {
    in.expectHeader(TYPE_TAG, FORMAT_VERSION, "availability buckets");
    PreviousAvailabilityBuckets buckets = new PreviousAvailabilityBuckets();
    long newestHour = in.readLong();
    int count = in.readInt("bucket count", 0, HOURS);
    if (newestHour == NO_HOUR) {
      if (count != 0) {
        throw new CorruptStateException("buckets without a newest hour");
      }
      return buckets;
    }
    if (newestHour < Long.MIN_VALUE / HOUR_MILLIS || newestHour > Long.MAX_VALUE / HOUR_MILLIS) {
      throw new CorruptStateException("newest hour out of range: " + newestHour);
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
    return buckets;
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
   * zero, then held as 16-bit {@code char}s until a counter needs more (over 65,535 checks in one
   * hour, 18 a second), then as {@code int}s for good. The {@code down} ring of a service that has
   * not failed in 30 days is never allocated, so the usual service costs one ring of chars: 1.5 KB
   * instead of the 5.8 KB of two {@code int} rings, 43 MB less for 10,000 services.
   */
  private static final class HourCounters {
    private char[] narrow;
    private int[] wide;

    int get(int slot) {
      if (wide != null) {
        return wide[slot];
      }
      return narrow != null ? narrow[slot] : 0;
    }

    void set(int slot, int value) {
      if (wide != null) {
        wide[slot] = value;
        return;
      }
      if (narrow == null) {
        if (value == 0) {
          return;
        }
        narrow = new char[HOURS];
      }
      if (value <= Character.MAX_VALUE) {
        narrow[slot] = (char) value;
        return;
      }
      widen();
      wide[slot] = value;
    }

    void copyFrom(HourCounters other) {
      wide = other.wide == null ? null : other.wide.clone();
      narrow = other.narrow == null ? null : other.narrow.clone();
    }

    long estimatedFootprintBytes() {
      long object = Footprint.object(2 * Footprint.REFERENCE);
      if (wide != null) {
        return object + Footprint.array(4, HOURS);
      }
      return narrow != null ? object + Footprint.array(2, HOURS) : object;
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
