package io.extrophi.orchestrator.breaker;

import java.math.BigDecimal;
import java.time.Duration;

/** Durations as operators write them in the configuration: {@code 60 s}, {@code 0.25 s}. */
final class DurationText {

  private DurationText() {}

  static String of(Duration duration) {
    BigDecimal seconds = BigDecimal.valueOf(duration.toMillis(), 3).stripTrailingZeros();
    return seconds.toPlainString() + " s";
  }
}
