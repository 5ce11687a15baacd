package io.extrophi.orchestrator.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

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
}
