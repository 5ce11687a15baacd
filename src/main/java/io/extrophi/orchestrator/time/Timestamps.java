package io.extrophi.orchestrator.time;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The one timestamp format of the API and the event bus: ISO-8601 in UTC with exactly six
 * fractional digits and a {@code Z}, e.g. {@code 2026-11-18T12:00:00.000000Z}.
 *
 * <p>Fixed width keeps the strings sortable and matches what the original design's clients parse.
 */
public final class Timestamps {

  private static final DateTimeFormatter MICROS_UTC =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

  private Timestamps() {}

  public static String format(Instant instant) {
    return MICROS_UTC.format(instant);
  }

  /** Parses what {@link #format(Instant)} wrote (any ISO-8601 instant is accepted). */
  public static Instant parse(String text) {
    return Instant.parse(text);
  }
}
