package io.extrophi.orchestrator.time;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** Every result and every service in a snapshot carries a timestamp. */
@State(Scope.Thread)
public class TimestampsBenchmark {

  private static final DateTimeFormatter STANDARD =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

  private final Instant instant = Instant.parse("2026-11-24T12:34:56.789012Z");

  @Benchmark
  public String handWritten() {
    return Timestamps.format(instant);
  }

  /** What {@link Timestamps#format} did before: the standard formatter. */
  @Benchmark
  public String dateTimeFormatter() {
    return STANDARD.format(instant);
  }
}
