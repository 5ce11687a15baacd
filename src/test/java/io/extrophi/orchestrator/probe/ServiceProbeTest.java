package io.extrophi.orchestrator.probe;

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

/** Probes against real HTTP servers on loopback. */
@ExtendWith(VertxExtension.class)
@IntegrationTest
class ServiceProbeTest {

  // The deadline covers connecting too, slow on a loaded machine.
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  @Test
  void aTwoHundredWithinTheTimeoutIsHealthyWithAResponseTime(Vertx vertx, VertxTestContext test) {
    probeTarget(vertx, target -> target.respondWith(200))
        .onComplete(
            test.succeeding(
                result ->
                    test.verify(
                        () -> {
                          assertThat(result.healthy()).isTrue();
                          assertThat(result.statusCode()).isEqualTo(200);
                          assertThat(result.errorMessage()).isNull();
                          assertThat(result.responseTimeMs()).isPositive();
                          assertThat(BigDecimal.valueOf(result.responseTimeMs()).scale())
                              .isLessThanOrEqualTo(2);
                          test.completeNow();
                        })));
  }

  @Test
  void anyTwoHundredSomethingIsHealthy(Vertx vertx, VertxTestContext test) {
    probeTarget(vertx, target -> target.respondWith(204))
        .onComplete(
            test.succeeding(
                result ->
                    test.verify(
                        () -> {
                          assertThat(result.healthy()).as(result.errorMessage()).isTrue();
                          test.completeNow();
                        })));
  }

  @Test
  void aServiceUnavailableIsUnhealthyWithTheStatusInTheMessage(Vertx vertx, VertxTestContext test) {
    probeTarget(vertx, target -> target.respondWith(503))
        .onComplete(
            test.succeeding(
                result ->
                    test.verify(
                        () -> {
                          assertThat(result.healthy()).isFalse();
                          assertThat(result.statusCode()).isEqualTo(503);
                          assertThat(result.errorMessage()).isEqualTo("HTTP 503");
                          assertThat(result.responseTimeMs()).isNotNull();
                          test.completeNow();
                        })));
  }

  @Test
  void aRedirectIsNotHealthy(Vertx vertx, VertxTestContext test) {
    probeTarget(vertx, target -> target.respondWith(302))
        .onComplete(
            test.succeeding(
                result ->
                    test.verify(
                        () -> {
                          assertThat(result.errorMessage()).isEqualTo("HTTP 302");
                          test.completeNow();
                        })));
  }

  @Test
  void aHangingServiceTimesOutWithoutAResponseTime(Vertx vertx, VertxTestContext test) {
    probeTarget(vertx, TargetServer::hang)
        .onComplete(
            test.succeeding(
                result ->
                    test.verify(
                        () -> {
                          assertThat(result.healthy()).isFalse();
                          assertThat(result.errorMessage()).isEqualTo("timeout after 5000 ms");
                          assertThat(result.responseTimeMs()).isNull();
                          assertThat(result.statusCode()).isNull();
                          test.completeNow();
                        })));
  }

  @Test
  void aClosedPortIsConnectionRefused(Vertx vertx, VertxTestContext test) throws IOException {
    probe(vertx, TargetServer.unreachableUrl())
        .onComplete(
            test.succeeding(
                result ->
                    test.verify(
                        () -> {
                          assertThat(result.errorMessage()).isEqualTo("connection refused");
                          assertThat(result.responseTimeMs()).isNull();
                          test.completeNow();
                        })));
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
