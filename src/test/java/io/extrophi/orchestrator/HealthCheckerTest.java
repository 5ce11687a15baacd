package io.extrophi.orchestrator;

import static io.extrophi.orchestrator.testing.Checked.thenComplete;
import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.api.HealthChecker;
import io.extrophi.orchestrator.config.OrchestratorConfig;
import io.extrophi.orchestrator.testing.ApiClient;
import io.extrophi.orchestrator.testing.IntegrationTest;
import io.extrophi.orchestrator.testing.MonitoredTarget;
import io.extrophi.orchestrator.testing.TestConfigs;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.util.List;
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
    // Every service is checked at the given interval with the given timeout.
    assertThat(config.services())
        .extracting(
            service ->
                "%s %s %s %s"
                    .formatted(
                        service.name(), service.url(), service.interval(), service.timeout()))
        .containsExactly(
            "writer http://localhost:8000/health PT12S PT2S",
            "research http://localhost:8001/health PT12S PT2S",
            "backend http://localhost:8002/health PT12S PT2S");
    assertThat(config)
        .extracting(
            OrchestratorConfig::checkInterval,
            OrchestratorConfig::checkTimeout,
            OrchestratorConfig::failureThreshold,
            OrchestratorConfig::successThreshold,
            OrchestratorConfig::resetTimeout)
        .containsExactly(
            Duration.ofSeconds(12), Duration.ofSeconds(2), 3, 2, Duration.ofSeconds(60));
  }

  @Test
  void startsReportsStatusAndStops(Vertx vertx, VertxTestContext test) {
    MonitoredTarget.start(
            vertx,
            target -> TestConfigs.firstRoundOnly(List.of(target.url()), Duration.ofSeconds(30)))
        .compose(
            started ->
                started
                    .checker()
                    .start()
                    .transform(
                        second -> {
                          test.verify(() -> assertThat(second.failed()).isTrue());
                          // A received result means the start-up probe is no longer in flight,
                          // so the trigger below sends a probe of its own.
                          return started.until(() -> started.results().size() == 1);
                        }))
        .compose(
            probed ->
                probed
                    .checker()
                    .trigger()
                    .compose(triggered -> probed.checker().status())
                    .compose(
                        status -> {
                          test.verify(
                              () -> {
                                assertThat(status.getString("overall_health")).isEqualTo("healthy");
                                assertThat(ApiClient.totalChecks(status, "s0")).isEqualTo(2);
                              });
                          return probed.checker().stop();
                        }))
        .onComplete(thenComplete(test, stopped -> assertThat(vertx.deploymentIDs()).isEmpty()));
  }
}
