package io.extrophi.orchestrator.alert;

import io.vertx.core.http.HttpClosedException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * How one attempt to deliver an alert ended, and whether another attempt may succeed.
 *
 * @param kind delivered, worth retrying, or refused for good
 * @param description for log lines: {@code HTTP 503}, {@code connection refused}, ...
 * @param retryAfter how long the receiver asked to wait ({@code Retry-After}); {@code null} if it
 *     did not
 */
record AttemptOutcome(Kind kind, String description, Duration retryAfter) {

  /** What the queue does next. */
  enum Kind {
    /** A 2xx answer: the alert is never sent to this receiver again. */
    DELIVERED,
    /** The receiver is down, overloaded or slow (connection error, timeout, 5xx, 408, 429). */
    RETRY,
    /** The receiver refused the request itself (other 4xx, 3xx): a retry would be refused too. */
    REJECTED
  }

  /** The longest {@code Retry-After} taken into account; longer ones are capped by the backoff. */
  private static final long MAX_RETRY_AFTER_SECONDS = 86_400;

  static AttemptOutcome ofStatus(int status, String retryAfterHeader) {
    String description = "HTTP " + status;
    if (status >= 200 && status < 300) {
      return new AttemptOutcome(Kind.DELIVERED, description, null);
    }
    if (status >= 500 || status == 408 || status == 429) {
      return new AttemptOutcome(Kind.RETRY, description, retryAfter(retryAfterHeader));
    }
    return new AttemptOutcome(Kind.REJECTED, description, null);
  }

  /** A request that got no answer: always worth another attempt. */
  static AttemptOutcome ofFailure(Throwable failure) {
    return new AttemptOutcome(Kind.RETRY, describe(failure), null);
  }

  private static String describe(Throwable failure) {
    if (failure instanceof TimeoutException) {
      return "timeout (" + failure.getMessage() + ")";
    }
    if (failure instanceof ConnectException) {
      return "connection refused";
    }
    if (failure instanceof HttpClosedException) {
      return "connection closed before the response";
    }
    String message = failure.getMessage();
    return failure.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  // Only the delay-seconds form: an HTTP date would need the receiver's clock to agree with ours.
  private static Duration retryAfter(String header) {
    if (header == null || !header.strip().matches("\\d{1,9}")) {
      return null;
    }
    return Duration.ofSeconds(Math.min(Long.parseLong(header.strip()), MAX_RETRY_AFTER_SECONDS));
  }
}
