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
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

@UnitTest
class FailureDescriptionsTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private static String describe(Throwable failure) {
    return FailureDescriptions.of(failure, "writer.internal", TIMEOUT);
  }

  @Test
  void everyKindOfTimeoutReadsTheSame() {
    assertThat(describe(new TimeoutException("idle"))).isEqualTo("timeout after 5000 ms");
    assertThat(describe(new ConnectTimeoutException("connect"))).isEqualTo("timeout after 5000 ms");
    assertThat(describe(io.vertx.circuitbreaker.TimeoutException.INSTANCE))
        .isEqualTo("timeout after 5000 ms");
  }

  @Test
  void anAnswerThatIsNotHttpIsSaidSoWithoutAnExceptionClass() {
    // What Netty's decoder throws when the first line is not an HTTP status line.
    assertThat(describe(new IllegalArgumentException("invalid version format: GARBAGE")))
        .isEqualTo("not an HTTP response");
    assertThat(
            describe(
                new VertxException(
                    new IllegalArgumentException("invalid version format: SSH-2.0"))))
        .isEqualTo("not an HTTP response");
    // Any other IllegalArgumentException is not taken for one.
    assertThat(describe(new IllegalArgumentException("something else")))
        .isEqualTo("IllegalArgumentException: something else");
  }

  @Test
  void connectionFailuresAreNamedPlainly() {
    assertThat(describe(new ConnectException("Connection refused: /127.0.0.1:8000")))
        .isEqualTo("connection refused");
    assertThat(describe(new NoRouteToHostException("no route"))).isEqualTo("no route to host");
    assertThat(describe(new UnknownHostException("failed to resolve 'writer.internal'")))
        .isEqualTo("unknown host writer.internal");
    assertThat(describe(new VertxException(new UnknownHostException("x"))))
        .isEqualTo("unknown host writer.internal");
    assertThat(describe(HttpClosedException.class.cast(new HttpClosedException("closed"))))
        .isEqualTo("connection closed before the response was complete");
  }

  @Test
  void tlsFailuresNameTheCertificateProblem() {
    assertThat(describe(new SSLHandshakeException("PKIX path building failed: …")))
        .isEqualTo(
            "TLS: the certificate is not trusted (self-signed or unknown authority; set"
                + " tls_ca_file)");
    SSLHandshakeException expired = new SSLHandshakeException("validity check failed");
    expired.initCause(
        new java.security.cert.CertificateExpiredException("NotAfter: Sat Nov 21 2026"));
    assertThat(describe(expired)).isEqualTo("TLS: the certificate has expired");
    assertThat(
            describe(new SSLHandshakeException("No subject alternative names matching IP address")))
        .isEqualTo("TLS: the certificate does not match the host name");
    assertThat(describe(new SSLHandshakeException("Received fatal alert: handshake_failure")))
        .isEqualTo("TLS handshake failed: Received fatal alert: handshake_failure");
  }

  @Test
  void anythingElseIsTheTypeAndAShortSingleLineMessage() {
    assertThat(describe(new IllegalStateException("first\nsecond")))
        .isEqualTo("IllegalStateException: first second");
    assertThat(describe(new IllegalStateException())).isEqualTo("IllegalStateException");
    assertThat(describe(new IllegalStateException("x".repeat(500)))).hasSizeLessThan(260);
  }
}
