package io.extrophi.orchestrator.probe;

import static io.extrophi.orchestrator.testing.Checked.thenComplete;
import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.bus.ProbeResult;
import io.extrophi.orchestrator.config.ServiceDefinition;
import io.extrophi.orchestrator.testing.IntegrationTest;
import io.extrophi.orchestrator.testing.TargetServer;
import io.extrophi.orchestrator.testing.TestConfigs;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.dns.AddressResolverOptions;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Probes against real HTTP servers on loopback. */
@ExtendWith(VertxExtension.class)
@IntegrationTest
class ServiceProbeTest {

  // The deadline covers connecting too, slow on a loaded machine.
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  /**
   * Any 2xx within the timeout is healthy; anything else answered, a redirect too, is unhealthy
   * with the status in the message. Either way the answer has a response time, rounded to two
   * decimals.
   */
  @ParameterizedTest(name = "HTTP {0}: healthy {1}")
  @CsvSource({"200, true,", "204, true,", "503, false, HTTP 503", "302, false, HTTP 302"})
  void anAnswerIsHealthyOnlyIfTwoHundredSomething(
      int status, boolean healthy, String errorMessage, Vertx vertx, VertxTestContext test) {
    probeTarget(vertx, target -> target.respondWith(status))
        .onComplete(
            thenComplete(
                test,
                result -> {
                  assertThat(result.healthy()).as(result.errorMessage()).isEqualTo(healthy);
                  assertThat(result.statusCode()).isEqualTo(status);
                  assertThat(result.errorMessage()).isEqualTo(errorMessage);
                  assertThat(result.responseTimeMs()).isPositive();
                  assertThat(BigDecimal.valueOf(result.responseTimeMs()).scale())
                      .isLessThanOrEqualTo(2);
                }));
  }

  @Test
  void aHangingServiceTimesOutWithoutAResponseTime(Vertx vertx, VertxTestContext test) {
    probeTarget(vertx, TargetServer::hang)
        .onComplete(
            thenComplete(
                test,
                result -> {
                  assertThat(result.healthy()).isFalse();
                  assertThat(result.errorMessage()).isEqualTo("timeout after 5000 ms");
                  assertThat(result.responseTimeMs()).isNull();
                  assertThat(result.statusCode()).isNull();
                }));
  }

  @Test
  void aClosedPortIsConnectionRefused(Vertx vertx, VertxTestContext test) throws IOException {
    probe(vertx, TargetServer.unreachableUrl())
        .onComplete(
            thenComplete(
                test,
                result -> {
                  assertThat(result.errorMessage()).isEqualTo("connection refused");
                  assertThat(result.responseTimeMs()).isNull();
                }));
  }

  @Test
  void anUnresolvableHostIsNamedInTheMessage(VertxTestContext test) throws IOException {
    // The resolver only asks a silent port on loopback, so the lookup fails without any
    // traffic leaving the machine.
    int silentDnsPort;
    try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      silentDnsPort = socket.getLocalPort();
    }
    Vertx isolated =
        Vertx.vertx(
            new VertxOptions()
                .setAddressResolverOptions(
                    new AddressResolverOptions()
                        .addServer("127.0.0.1:" + silentDnsPort)
                        .setQueryTimeout(200)
                        .setMaxQueries(1)));
    Future.all(
            probe(isolated, "http://writer.invalid:8000/health"),
            probe(isolated, "http://compose_service.invalid/health"))
        .onComplete(
            probed -> {
              test.verify(
                  () -> {
                    assertThat(((ProbeResult) probed.result().resultAt(0)).errorMessage())
                        .isEqualTo("unknown host writer.invalid");
                    assertThat(((ProbeResult) probed.result().resultAt(1)).errorMessage())
                        .isEqualTo("unknown host compose_service.invalid");
                  });
              isolated.close().onComplete(closed -> test.completeNow());
            });
  }

  private static Future<ProbeResult> probeTarget(
      Vertx vertx, java.util.function.Consumer<TargetServer> behaviour) {
    return TargetServer.start(vertx)
        .compose(
            target -> {
              behaviour.accept(target);
              return probe(vertx, target.url()).eventually(target::close);
            });
  }

  private static Future<ProbeResult> probe(Vertx vertx, String url) {
    ProbeClients client =
        new ProbeClients(vertx, TestConfigs.firstRoundOnly(List.of(url), TIMEOUT));
    ServiceProbe probe =
        new ServiceProbe(
            client,
            ServiceDefinition.of("writer", url, Duration.ofSeconds(30), TIMEOUT),
            64 * 1024,
            Clock.systemUTC());
    return probe.send().onComplete(done -> client.close());
  }
}
