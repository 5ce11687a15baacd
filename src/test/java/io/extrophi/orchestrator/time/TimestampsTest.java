package io.extrophi.orchestrator.time;

import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.testing.UnitTest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

@UnitTest
class TimestampsTest {

  @Test
  void formatsUtcWithExactlySixFractionalDigitsAndZ() {
    assertThat(Timestamps.format(Instant.parse("2026-11-18T12:00:00Z")))
        .isEqualTo("2026-11-18T12:00:00.000000Z");
    assertThat(Timestamps.format(Instant.parse("2026-11-18T12:00:00.123456789Z")))
        .isEqualTo("2026-11-18T12:00:00.123456Z");
  }

  @Test
  void parsesWhatItFormats() {
    Instant instant = Instant.parse("2026-01-02T03:04:05.678901Z");
    assertThat(Timestamps.parse(Timestamps.format(instant))).isEqualTo(instant);
  }

  @Test
  void writesTheSameTextAsTheStandardFormatterAcrossTheCalendar() {
    DateTimeFormatter reference =
        DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
    SplittableRandom random = new SplittableRandom(42);
    long first = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
    long last = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
    for (int i = 0; i < 100_000; i++) {
      Instant instant =
          Instant.ofEpochSecond(random.nextLong(first, last + 1), random.nextInt(1_000_000_000));
      assertThat(Timestamps.format(instant)).isEqualTo(reference.format(instant));
    }
    // Leap days, the end of a year and the epoch itself.
    for (String text :
        new String[] {
          "2024-02-29T23:59:59.999999999Z", "1999-12-31T23:59:59.000001Z", "1970-01-01T00:00:00Z"
        }) {
      Instant instant = Instant.parse(text);
      assertThat(Timestamps.format(instant)).isEqualTo(reference.format(instant));
    }
  }

  @Test
  void yearsBeyondFourDigitsStillFormat() {
    Instant farFuture = Instant.parse("+12026-01-01T00:00:00Z");
    assertThat(Timestamps.format(farFuture)).startsWith("+12026-01-01T00:00:00.000000");
  }
}
