package io.extrophi.orchestrator.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.testing.UnitTest;
import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.VertxException;
import io.vertx.core.http.HttpClosedException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@UnitTest
class FailureDescriptionsTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private static String describe(Throwable failure) {
    return FailureDescriptions.of(failure, "writer.internal", TIMEOUT);
  }

  static Stream<Arguments> failuresAndTheirDescriptions() {
    SSLHandshakeException expired = new SSLHandshakeException("validity check failed");
    expired.initCause(
        new java.security.cert.CertificateExpiredException("NotAfter: Sat Nov 21 2026"));
    return Stream.of(
        // Every kind of timeout reads the same.
        Arguments.of(new TimeoutException("idle"), "timeout after 5000 ms"),
        Arguments.of(new ConnectTimeoutException("connect"), "timeout after 5000 ms"),
        Arguments.of(io.vertx.circuitbreaker.TimeoutException.INSTANCE, "timeout after 5000 ms"),
        // An answer that is not HTTP is said so, without an exception class: what Netty's decoder
        // throws when the first line is not an HTTP status line.
        Arguments.of(
            new IllegalArgumentException("invalid version format: GARBAGE"),
            "not an HTTP response"),
        Arguments.of(
            new VertxException(new IllegalArgumentException("invalid version format: SSH-2.0")),
            "not an HTTP response"),
        // Any other IllegalArgumentException is not taken for one.
        Arguments.of(
            new IllegalArgumentException("something else"),
            "IllegalArgumentException: something else"),
        // Connection failures are named plainly.
        Arguments.of(
            new ConnectException("Connection refused: /127.0.0.1:8000"), "connection refused"),
        Arguments.of(new NoRouteToHostException("no route"), "no route to host"),
        Arguments.of(
            new UnknownHostException("failed to resolve 'writer.internal'"),
            "unknown host writer.internal"),
        Arguments.of(
            new VertxException(new UnknownHostException("x")), "unknown host writer.internal"),
        Arguments.of(
            new HttpClosedException("closed"),
            "connection closed before the response was complete"),
        // TLS failures name the certificate problem.
        Arguments.of(
            new SSLHandshakeException("PKIX path building failed: …"),
            "TLS: the certificate is not trusted (self-signed or unknown authority; set"
                + " tls_ca_file)"),
        Arguments.of(expired, "TLS: the certificate has expired"),
        Arguments.of(
            new SSLHandshakeException("No subject alternative names matching IP address"),
            "TLS: the certificate does not match the host name"),
        Arguments.of(
            new SSLHandshakeException("Received fatal alert: handshake_failure"),
            "TLS handshake failed: Received fatal alert: handshake_failure"),
        // Anything else is the type and a single-line message.
        Arguments.of(
            new IllegalStateException("first\nsecond"), "IllegalStateException: first second"),
        Arguments.of(new IllegalStateException(), "IllegalStateException"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("failuresAndTheirDescriptions")
  void aFailureReadsAsItsPlainDescription(Throwable failure, String description) {
    assertThat(describe(failure)).isEqualTo(description);
  }

  @Test
  void aLongMessageIsShortened() {
    assertThat(describe(new IllegalStateException("x".repeat(500)))).hasSizeLessThan(260);
  }
}
