package io.extrophi.orchestrator.stats;

import static io.extrophi.orchestrator.stats.ForgedEncodings.assertRefused;
import static io.extrophi.orchestrator.testing.Truncations.assertCorruptionsFailCleanly;
import static io.extrophi.orchestrator.testing.Truncations.assertEveryTruncationFailsCleanly;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.extrophi.orchestrator.testing.UnitTest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.Random;
import org.junit.jupiter.api.Test;

@UnitTest
class AvailabilityBucketsTest {

  private static final long HOUR = 3_600_000L;
  private static final long MINUTE = 60_000L;
  private static final long T0 = 1_700_000_000_000L - 1_700_000_000_000L % HOUR;

  private final AvailabilityBuckets buckets = new AvailabilityBuckets();

  @Test
  void noSamplesMeansNullEverywhere() {
    Availability availability = buckets.availability(T0);
    assertThat(availability).isEqualTo(new Availability(null, null, null, null));
    JsonObject json = availability.toJson();
    assertThat(json.fieldNames()).containsExactlyInAnyOrder("1h", "24h", "7d", "30d");
    assertThat(json.getValue("1h")).isNull();
    assertThat(json.getValue("30d")).isNull();
  }

  @Test
  void windowsFollowTheHours() {
    thirtyUpThenTenDown();

    // 10:30 in hour 1: all of hour 1 (10 down) plus half of hour 0 (15 of 30 up).
    Availability halfway = buckets.availability(T0 + HOUR + 30 * MINUTE);
    assertThat(halfway.last1h()).isEqualTo(60.0);
    assertThat(halfway.last24h()).isEqualTo(75.0);
    assertThat(halfway.last7d()).isEqualTo(75.0);
    assertThat(halfway.last30d()).isEqualTo(75.0);
    assertThat(halfway.toJson().getDouble("1h")).isEqualTo(60.0);

    // At the start of hour 2 the last hour is exactly hour 1.
    assertThat(buckets.availability(T0 + 2 * HOUR).last1h()).isEqualTo(0.0);

    // A day later hour 0 has left the 24 h window and hour 1 is half in it.
    Availability nextDay = buckets.availability(T0 + 25 * HOUR + 30 * MINUTE);
    assertThat(nextDay.last1h()).isNull();
    assertThat(nextDay.last24h()).isEqualTo(0.0);
    assertThat(nextDay.last7d()).isEqualTo(75.0);
    assertThat(nextDay.last30d()).isEqualTo(75.0);

    Availability nextWeek = buckets.availability(T0 + 8 * 24 * HOUR);
    assertThat(nextWeek.last24h()).isNull();
    assertThat(nextWeek.last7d()).isNull();
    assertThat(nextWeek.last30d()).isEqualTo(75.0);
  }

  @Test
  void bucketsOlderThanThirtyDaysFallOut() {
    thirtyUpThenTenDown();
    // Newest hour 720: hours 1..720 kept, hour 0 gone.
    assertThat(buckets.availability(T0 + 720 * HOUR + 30 * MINUTE).last30d()).isEqualTo(0.0);
    assertThat(buckets.totalInHour(T0)).isZero();
    assertThat(buckets.availability(T0 + 721 * HOUR).last30d()).isNull();
  }

  @Test
  void countersBeyondSixteenBitsAreKeptExactly() {
    buckets.recordCheck(false, T0 - HOUR);
    long small = buckets.estimatedFootprintBytes();
    for (int i = 0; i < 65_535; i++) {
      buckets.recordCheck(true, T0 + i % 1000);
    }
    // 65,535 still fits in 16 bits (here a count kept beside the byte ring); the next check and
    // the down samples need more.
    assertThat(buckets.estimatedFootprintBytes()).isLessThan(small + 2 * 720);
    buckets.recordCheck(true, T0);
    buckets.recordDown(100_000, T0 + 1, T0 + 1);
    AvailabilityBuckets copy = buckets.copy();
    buckets.recordCheck(false, T0 + 2);

    assertThat(copy.upInHour(T0)).isEqualTo(65_536);
    assertThat(copy.totalInHour(T0)).isEqualTo(165_536);
    assertThat(buckets.totalInHour(T0)).isEqualTo(165_537);
    assertThat(buckets.estimatedFootprintBytes()).isGreaterThan(small);
    // The wider counters survive a save and a restore.
    Buffer saved = Buffer.buffer();
    buckets.writeTo(saved);
    AvailabilityBuckets restored = AvailabilityBuckets.readFrom(new BufferReader(saved));
    assertThat(restored.upInHour(T0)).isEqualTo(65_536);
    assertThat(restored.totalInHour(T0)).isEqualTo(165_537);
  }

  @Test
  void reusedSlotStartsFromZero() {
    buckets.recordCheck(true, T0);
    buckets.recordCheck(false, T0 + 720 * HOUR);
    assertThat(buckets.totalInHour(T0 + 720 * HOUR)).isEqualTo(1);
    assertThat(buckets.upInHour(T0 + 720 * HOUR)).isZero();
    assertThat(buckets.availability(T0 + 720 * HOUR).last30d()).isEqualTo(0.0);
  }

  @Test
  void longGapsClearEverything() {
    buckets.recordCheck(true, T0);
    buckets.recordCheck(false, T0 + 10_000 * HOUR);
    assertThat(buckets.availability(T0 + 10_000 * HOUR).last30d()).isEqualTo(0.0);
  }

  @Test
  void checksMoreThanThirtyDaysOlderThanTheNewestAreDropped() {
    buckets.recordCheck(true, T0 + 800 * HOUR);
    buckets.recordCheck(false, T0);
    assertThat(buckets.availability(T0 + 800 * HOUR).last30d()).isEqualTo(100.0);
  }

  @Test
  void recordDownSpreadsOverTheHoursItSpans() {
    // 30 skipped checks over 3 h starting at half past: 5 + 10 + 10 + 5.
    buckets.recordDown(30, T0 + 30 * MINUTE, T0 + 3 * HOUR + 30 * MINUTE);
    assertThat(buckets.totalInHour(T0)).isEqualTo(5);
    assertThat(buckets.totalInHour(T0 + HOUR)).isEqualTo(10);
    assertThat(buckets.totalInHour(T0 + 2 * HOUR)).isEqualTo(10);
    assertThat(buckets.totalInHour(T0 + 3 * HOUR)).isEqualTo(5);
    assertThat(buckets.upInHour(T0 + HOUR)).isZero();
    assertThat(buckets.availability(T0 + 3 * HOUR + 30 * MINUTE).last24h()).isEqualTo(0.0);
  }

  @Test
  void recordDownSharesAddUpExactly() {
    buckets.recordDown(10, T0, T0 + 3 * HOUR);
    assertThat(
            buckets.totalInHour(T0)
                + buckets.totalInHour(T0 + HOUR)
                + buckets.totalInHour(T0 + 2 * HOUR))
        .isEqualTo(10);
    assertThat(buckets.totalInHour(T0 + 3 * HOUR)).isZero();
  }

  @Test
  void recordDownMixesWithChecks() {
    for (int i = 0; i < 20; i++) {
      buckets.recordCheck(true, T0 + i * MINUTE);
    }
    buckets.recordDown(20, T0 + 20 * MINUTE, T0 + 40 * MINUTE);
    assertThat(buckets.availability(T0 + 40 * MINUTE).last1h()).isEqualTo(50.0);
  }

  @Test
  void recordDownOverAHugeIntervalOnlyTouchesKeptHours() {
    // Ten years of open circuit: 87,600 hours, one skipped check per hour; only 720 are kept.
    long to = T0 + 87_600 * HOUR;
    buckets.recordDown(87_600, T0, to);
    assertThat(buckets.totalInHour(to - HOUR)).isEqualTo(1);
    assertThat(buckets.totalInHour(to - 721 * HOUR)).isZero();
    assertThat(buckets.availability(to - 1).last30d()).isEqualTo(0.0);
  }

  @Test
  void recordDownEdgeCases() {
    buckets.recordDown(3, T0 + 5 * MINUTE, T0 + 5 * MINUTE);
    assertThat(buckets.totalInHour(T0)).isEqualTo(3);
    buckets.recordDown(0, T0, T0 + HOUR);
    assertThat(buckets.totalInHour(T0)).isEqualTo(3);
    assertThatThrownBy(() -> buckets.recordDown(-1, T0, T0 + 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> buckets.recordDown(1, T0 + 1, T0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void countersSaturateInsteadOfWrapping() {
    buckets.recordDown(Long.MAX_VALUE / 2, T0, T0 + 1);
    buckets.recordDown(Long.MAX_VALUE / 2, T0, T0 + 1);
    assertThat(buckets.totalInHour(T0)).isEqualTo(Integer.MAX_VALUE);
    assertThat(buckets.availability(T0).last1h()).isEqualTo(0.0);
  }

  @Test
  void roundsToTwoDecimals() {
    buckets.recordCheck(true, T0);
    buckets.recordCheck(true, T0);
    buckets.recordCheck(false, T0);
    assertThat(buckets.availability(T0).last1h()).isEqualTo(66.67);
  }

  @Test
  void aServiceThatWasNeverDownKeepsOneRing() {
    long empty = buckets.estimatedFootprintBytes();
    for (int hour = 0; hour < 1_000; hour++) {
      buckets.recordCheck(true, T0 + hour * HOUR);
    }
    long upOnly = buckets.estimatedFootprintBytes();
    assertThat(upOnly).isGreaterThan(empty).isLessThan(1_600);
    buckets.recordCheck(false, T0 + 1_000 * HOUR);
    long withDown = buckets.estimatedFootprintBytes();
    assertThat(withDown).isGreaterThan(upOnly).isLessThan(3_100);
    // A fixed size from then on, however many checks come.
    thirtyUpThenTenDown();
    assertThat(buckets.estimatedFootprintBytes()).isEqualTo(withDown);
  }

  @Test
  void aServiceCheckedAtASteadyPaceKeepsAboutOneByteAnHour() {
    long start = T0 + 25 * MINUTE; // the first hour is cut short
    long restartedFrom = start + 240 * HOUR + 10 * MINUTE;
    long restartedAt = restartedFrom + 35 * MINUTE; // a restart loses 35 minutes
    long end = start + 30 * 24 * HOUR;
    for (long at = start; at < end; at += 10_000) {
      if (at < restartedFrom || at >= restartedAt) {
        buckets.recordCheck(true, at);
      }
    }

    assertThat(buckets.estimatedFootprintBytes()).isLessThan(1_000);
    assertThat(buckets.totalInHour(start + 100 * HOUR)).isEqualTo(360);
    assertThat(buckets.totalInHour(restartedFrom)).isEqualTo(210);
    assertThat(buckets.totalInHour(restartedAt)).isEqualTo(300);
    assertThat(buckets.totalInHour(end - 1)).isEqualTo(150);
    AvailabilityBuckets copy = buckets.copy();
    Buffer saved = Buffer.buffer();
    buckets.writeTo(saved);
    AvailabilityBuckets restored = AvailabilityBuckets.readFrom(new BufferReader(saved));
    for (long hour = 0; hour < 720; hour++) {
      long at = end - 1 - hour * HOUR;
      assertThat(copy.totalInHour(at)).isEqualTo(buckets.totalInHour(at));
      assertThat(restored.totalInHour(at)).isEqualTo(buckets.totalInHour(at));
    }
    assertThat(restored.estimatedFootprintBytes()).isLessThan(1_000);
  }

  @Test
  void scatteredHourlyCountsStayExact() {
    Random random = new Random(11);
    int[] counts = new int[720];
    for (int hour = 0; hour < 720; hour++) {
      counts[hour] = random.nextInt(3_000);
      for (int i = 0; i < counts[hour]; i++) {
        buckets.recordCheck(true, T0 + hour * HOUR + i);
      }
    }

    for (int hour = 0; hour < 720; hour++) {
      assertThat(buckets.totalInHour(T0 + hour * HOUR)).isEqualTo(counts[hour]);
    }
    // Too scattered for offsets of one byte: 16-bit counts.
    assertThat(buckets.estimatedFootprintBytes()).isGreaterThan(1_400).isLessThan(1_600);
  }

  @Test
  void roundTripsThroughBuffer() {
    Random random = new Random(5);
    for (int i = 0; i < 5_000; i++) {
      buckets.recordCheck(random.nextInt(10) > 0, T0 + random.nextInt(800) * HOUR);
    }
    buckets.recordDown(77, T0 + 500 * HOUR, T0 + 510 * HOUR);
    Buffer out = Buffer.buffer();
    buckets.writeTo(out);
    BufferReader in = new BufferReader(out);
    AvailabilityBuckets copy = AvailabilityBuckets.readFrom(in);
    assertThat(in.remaining()).isZero();
    for (long hour = 0; hour < 800; hour++) {
      assertThat(copy.totalInHour(T0 + hour * HOUR))
          .isEqualTo(buckets.totalInHour(T0 + hour * HOUR));
      assertThat(copy.upInHour(T0 + hour * HOUR)).isEqualTo(buckets.upInHour(T0 + hour * HOUR));
    }
    for (long at = T0 + 790 * HOUR; at < T0 + 900 * HOUR; at += 7 * MINUTE) {
      assertThat(copy.availability(at)).isEqualTo(buckets.availability(at));
    }
  }

  @Test
  void roundTripsEmptyBuckets() {
    Buffer out = Buffer.buffer();
    buckets.writeTo(out);
    AvailabilityBuckets copy = AvailabilityBuckets.readFrom(new BufferReader(out));
    assertThat(copy.availability(T0)).isEqualTo(new Availability(null, null, null, null));
  }

  @Test
  void everyTruncationFailsCleanly() {
    thirtyUpThenTenDown();
    Buffer out = Buffer.buffer();
    buckets.writeTo(out);
    assertEveryTruncationFailsCleanly(out, AvailabilityBuckets::readFrom);
  }

  @Test
  void rejectsInconsistentBuckets() {
    assertRefused(AvailabilityBuckets::readFrom, bucket(5, 3, 2), "inconsistent");
    assertRefused(AvailabilityBuckets::readFrom, bucket(720, 1, 1), "age");
    Buffer tooMany =
        Buffer.buffer().appendByte((byte) 'A').appendByte((byte) 1).appendLong(5).appendInt(721);
    assertRefused(AvailabilityBuckets::readFrom, tooMany, "bucket count");
    Buffer wrongType = Buffer.buffer().appendByte((byte) 'H').appendByte((byte) 1);
    assertRefused(AvailabilityBuckets::readFrom, wrongType, "type tag");
  }

  @Test
  void corruptedBytesFailCleanly() {
    thirtyUpThenTenDown();
    Buffer out = Buffer.buffer();
    buckets.writeTo(out);
    Random random = new Random(11);
    assertCorruptionsFailCleanly(
        out, random, 500, in -> AvailabilityBuckets.readFrom(in).availability(T0));
  }

  private void thirtyUpThenTenDown() {
    for (int i = 0; i < 30; i++) {
      buckets.recordCheck(true, T0 + i * MINUTE);
    }
    for (int i = 0; i < 10; i++) {
      buckets.recordCheck(false, T0 + HOUR + i * MINUTE);
    }
  }

  private static Buffer bucket(int age, int up, int total) {
    return Buffer.buffer()
        .appendByte((byte) 'A')
        .appendByte((byte) 1)
        .appendLong(T0 / HOUR)
        .appendInt(1)
        .appendShort((short) age)
        .appendInt(up)
        .appendInt(total);
  }
}
