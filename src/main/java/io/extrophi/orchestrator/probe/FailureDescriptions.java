package io.extrophi.orchestrator.probe;

import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.http.HttpClosedException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * Turns the exception of a failed probe into the short, specific {@code error_message} operators
 * read: {@code connection refused}, {@code timeout after 5000 ms}, {@code unknown host x}, ...
 */
final class FailureDescriptions {

  private static final int MAX_DETAIL_LENGTH = 200;

  private FailureDescriptions() {}

  static String httpStatus(int statusCode) {
    return "HTTP " + statusCode;
  }

  static String timeout(Duration timeout) {
    return "timeout after " + timeout.toMillis() + " ms";
  }

  /**
   * @param failure what the client or the circuit breaker reported
   * @param host the host of the probed URL, named in DNS failures
   * @param timeout the probe timeout, named in timeouts
   */
  static String of(Throwable failure, String host, Duration timeout) {
    Throwable cause = rootOf(failure);
    if (cause instanceof TimeoutException
        || cause instanceof io.vertx.circuitbreaker.TimeoutException
        || cause instanceof ConnectTimeoutException) {
      return timeout(timeout);
    }
    if (cause instanceof UnknownHostException) {
      return "unknown host " + host;
    }
    if (cause instanceof NoRouteToHostException) {
      return "no route to host";
    }
    if (cause instanceof ConnectException) {
      return "connection refused";
    }
    if (cause instanceof HttpClosedException || cause instanceof ClosedChannelException) {
      return "connection closed before the response was complete";
    }
    if (cause instanceof SSLException) {
      return "TLS handshake failed: " + brief(cause.getMessage());
    }
    String message = cause.getMessage();
    String type = cause.getClass().getSimpleName();
    return message == null || message.isBlank() ? type : type + ": " + brief(message);
  }

  private static Throwable rootOf(Throwable failure) {
    Throwable current = failure;
    while (current.getCause() != null && current.getCause() != current) {
      if (current instanceof UnknownHostException || current instanceof ConnectException) {
        return current;
      }
      current = current.getCause();
    }
    return current;
  }

  private static String brief(String text) {
    if (text == null) {
      return "";
    }
    String singleLine = text.replaceAll("\\s+", " ").trim();
    return singleLine.length() <= MAX_DETAIL_LENGTH
        ? singleLine
        : singleLine.substring(0, MAX_DETAIL_LENGTH) + "…";
  }
}
