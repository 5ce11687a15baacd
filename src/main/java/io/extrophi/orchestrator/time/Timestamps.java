package io.extrophi.orchestrator.time;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The one timestamp format of the API and the event bus: ISO-8601 in UTC with exactly six
 * fractional digits and a {@code Z}, e.g. {@code 2026-11-18T12:00:00.000000Z}.
 *
 * <p>Fixed width keeps the strings sortable and matches what the original design's clients parse.
 *
 * <p>Every probe result and every service in a status snapshot carries timestamps, so {@link
 * #format} writes the digits itself: {@link DateTimeFormatter} builds the fraction through a {@code
 * BigDecimal} and was a tenth of the probe path's garbage. Years outside 0000-9999 (never seen in
 * practice) still go through the formatter.
 */
public final class Timestamps {

  private static final DateTimeFormatter MICROS_UTC =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

  private Timestamps() {}

  public static String format(Instant instant) {
    LocalDateTime time = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), 0, ZoneOffset.UTC);
    int year = time.getYear();
    if (year < 0 || year > 9999) {
      return MICROS_UTC.format(instant);
    }
    char[] text = new char[27];
    digits(text, 0, year, 4);
    text[4] = '-';
    digits(text, 5, time.getMonthValue(), 2);
    text[7] = '-';
    digits(text, 8, time.getDayOfMonth(), 2);
    text[10] = 'T';
    digits(text, 11, time.getHour(), 2);
    text[13] = ':';
    digits(text, 14, time.getMinute(), 2);
    text[16] = ':';
    digits(text, 17, time.getSecond(), 2);
    text[19] = '.';
    digits(text, 20, instant.getNano() / 1_000, 6);
    text[26] = 'Z';
    return new String(text);
  }

  /** Writes {@code value} as exactly {@code width} decimal digits, zero-padded. */
  private static void digits(char[] text, int at, int value, int width) {
    for (int i = at + width - 1; i >= at; i--) {
      text[i] = (char) ('0' + value % 10);
      value /= 10;
    }
  }

  /** Parses what {@link #format(Instant)} wrote (any ISO-8601 instant is accepted). */
  public static Instant parse(String text) {
    return Instant.parse(text);
  }
}
