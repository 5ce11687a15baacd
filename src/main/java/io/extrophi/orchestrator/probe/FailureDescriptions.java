package io.extrophi.orchestrator.probe;

import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.http.HttpClosedException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * Turns the exception of a failed probe into the short, specific {@code error_message} operators
 * read: {@code connection refused}, {@code timeout after 5000 ms}, {@code unknown host x}, {@code
 * not an HTTP response}, ...
 */
final class FailureDescriptions {

  private static final int MAX_DETAIL_LENGTH = 200;

  /** What a probe reports when the target's first line is not an HTTP status line. */
  static final String NOT_HTTP = "not an HTTP response";

  /**
   * How Netty's HTTP decoder rejects a first line that does not start with an HTTP version ({@code
   * HTTP/0.9}-style bodies, another protocol's greeting, binary): an {@link
   * IllegalArgumentException} with this message, which is all Vert.x logs of it.
   */
  static final String BAD_VERSION_PREFIX = "invalid version format";

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
    if (cause instanceof java.io.IOException
        && cause.getMessage() != null
        && cause.getMessage().contains("Connection reset")) {
      return "connection reset by the service";
    }
    if (isNotHttp(cause)) {
      return NOT_HTTP;
    }
    String tls = tlsProblem(failure);
    if (tls != null) {
      return tls;
    }
    if (cause instanceof SSLException) {
      return "TLS handshake failed: " + brief(cause.getMessage());
    }
    String message = cause.getMessage();
    String type = cause.getClass().getSimpleName();
    return message == null || message.isBlank() ? type : type + ": " + brief(message);
  }

  static boolean isNotHttpMessage(String message) {
    return message != null && message.startsWith(BAD_VERSION_PREFIX);
  }

  private static boolean isNotHttp(Throwable cause) {
    return cause instanceof IllegalArgumentException && isNotHttpMessage(cause.getMessage());
  }

  /**
   * What was wrong with the service's certificate, named the way an operator fixes it; {@code null}
   * when the failure was not a certificate problem.
   */
  private static String tlsProblem(Throwable failure) {
    boolean handshake = false;
    for (Throwable current = failure; current != null; current = next(current)) {
      if (current instanceof CertificateExpiredException) {
        return "TLS: the certificate has expired";
      }
      if (current instanceof CertificateNotYetValidException) {
        return "TLS: the certificate is not valid yet";
      }
      handshake |= current instanceof SSLException;
      String message = current.getMessage();
      if (handshake && message != null) {
        if (message.contains("PKIX path building failed")
            || message.contains("unable to find valid certification path")) {
          return "TLS: the certificate is not trusted (self-signed or unknown authority;"
              + " set tls_ca_file)";
        }
        if (message.contains("No subject alternative") || message.contains("doesn't match")) {
          return "TLS: the certificate does not match the host name";
        }
      }
    }
    return null;
  }

  private static Throwable next(Throwable current) {
    return current.getCause() == current ? null : current.getCause();
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
