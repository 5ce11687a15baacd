package io.extrophi.orchestrator.alert;

import java.time.Duration;

/**
 * Waits between the attempts to deliver one alert: {@code initial} before the first retry, twice as
 * long before each further one, never more than {@code max}.
 *
 * @param initial wait before the first retry
 * @param max the longest wait
 */
record Backoff(Duration initial, Duration max) {

  /**
   * @param failedAttempts attempts made so far, at least 1
   * @param retryAfter what the receiver asked for ({@code Retry-After}), or {@code null}: honoured
   *     when longer than the backoff, up to {@code max}
   */
  Duration beforeRetry(int failedAttempts, Duration retryAfter) {
    // Doubling stops once past max, so the shift never overflows.
    Duration wait = initial;
    for (int i = 1; i < failedAttempts && wait.compareTo(max) < 0; i++) {
      wait = wait.multipliedBy(2);
    }
    if (retryAfter != null && retryAfter.compareTo(wait) > 0) {
      wait = retryAfter;
    }
    return wait.compareTo(max) > 0 ? max : wait;
  }
}
