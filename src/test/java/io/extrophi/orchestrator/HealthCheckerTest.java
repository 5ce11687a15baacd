package io.extrophi.orchestrator;

import static io.extrophi.orchestrator.testing.Checked.thenComplete;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.extrophi.orchestrator.api.HealthChecker;
import io.extrophi.orchestrator.bus.EventBusAddresses;
import io.extrophi.orchestrator.config.OrchestratorConfig;
import io.extrophi.orchestrator.config.ServiceDefinition;
import io.extrophi.orchestrator.testing.Eventually;
import io.extrophi.orchestrator.testing.IntegrationTest;
import io.extrophi.orchestrator.testing.TargetServer;
import io.extrophi.orchestrator.testing.TestConfigs;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The embedding API of the original design: construct, start, status, stop. */
@ExtendWith(VertxExtension.class)
@IntegrationTest
class HealthCheckerTest {

  @Test
  void theOriginalConstructorKeepsTheDefaultServicesAndCircuitSettings(Vertx vertx) {
    HealthChecker checker =
        new HealthChecker(vertx, Duration.ofSeconds(12), Duration.ofSeconds(2), 3);
    OrchestratorConfig config = checker.config();
    assertThat(config.services())
        .extracting(ServiceDefinition::name, ServiceDefinition::url)
        .containsExactly(
            tuple("writer", "http://localhost:8000/health"),
            tuple("research", "http://localhost:8001/health"),
            tuple("backend", "http://localhost:8002/health"));
    // Every service is checked at the given interval with the given timeout.
    assertThat(config.services())
        .allSatisfy(
            service -> {
              assertThat(service.interval()).isEqualTo(Duration.ofSeconds(12));
              assertThat(service.timeout()).isEqualTo(Duration.ofSeconds(2));
            });
    assertThat(config.checkInterval()).isEqualTo(Duration.ofSeconds(12));
    assertThat(config.checkTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(config.failureThreshold()).isEqualTo(3);
    assertThat(config.successThreshold()).isEqualTo(2);
    assertThat(config.resetTimeout()).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void startsReportsStatusAndStops(Vertx vertx, VertxTestContext test) {
    AtomicInteger results = new AtomicInteger();
    vertx
        .eventBus()
        .consumer(EventBusAddresses.PROBE_RESULTS, message -> results.incrementAndGet());
    AtomicReference<TargetServer> target = new AtomicReference<>();
    AtomicReference<HealthChecker> checker = new AtomicReference<>();
    TargetServer.start(vertx)
        .compose(
            started -> {
              target.set(started);
              checker.set(
                  new HealthChecker(
                      vertx,
                      TestConfigs.firstRoundOnly(List.of(started.url()), Duration.ofSeconds(30))));
              return checker.get().start();
            })
        .compose(
            started ->
                checker
                    .get()
                    .start()
                    .transform(
                        second -> {
                          test.verify(() -> assertThat(second.failed()).isTrue());
                          // A received result means the start-up probe is no longer in flight,
                          // so the trigger below sends a probe of its own.
                          return Eventually.until(vertx, () -> results.get() == 1, 30_000);
                        }))
        .compose(probed -> checker.get().trigger())
        .compose(triggered -> checker.get().status())
        .compose(
            status -> {
              JsonObject s0 = status.getJsonObject("services").getJsonObject("s0");
              test.verify(
                  () -> {
                    assertThat(status.getString("overall_health")).isEqualTo("healthy");
                    assertThat(s0.getLong("total_checks")).isEqualTo(2);
                  });
              return checker.get().stop();
            })
        .onComplete(
            thenComplete(
                test,
                stopped -> {
                  assertThat(vertx.deploymentIDs()).isEmpty();
                }));
  }
}
