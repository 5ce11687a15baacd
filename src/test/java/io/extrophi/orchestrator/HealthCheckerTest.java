package io.extrophi.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.config.OrchestratorConfig;
import io.extrophi.orchestrator.testing.Eventually;
import io.extrophi.orchestrator.testing.TargetServer;
import io.extrophi.orchestrator.testing.TestConfigs;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The embedding API of the original design: construct, start, status, stop. */
@ExtendWith(VertxExtension.class)
class HealthCheckerTest {

  @Test
  void theOriginalConstructorKeepsTheDefaultServicesAndCircuitSettings(Vertx vertx) {
    HealthChecker checker =
        new HealthChecker(vertx, Duration.ofSeconds(30), Duration.ofSeconds(5), 3);
    OrchestratorConfig config = checker.config();
    assertThat(config.services()).isEqualTo(OrchestratorConfig.DEFAULT_SERVICES);
    assertThat(config.checkInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.checkTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.failureThreshold()).isEqualTo(3);
    assertThat(config.successThreshold()).isEqualTo(2);
    assertThat(config.resetTimeout()).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void startsReportsStatusAndStops(Vertx vertx, VertxTestContext test) {
    AtomicReference<TargetServer> target = new AtomicReference<>();
    AtomicReference<HealthChecker> checker = new AtomicReference<>();
    TargetServer.start(vertx)
        .compose(
            started -> {
              target.set(started);
              checker.set(
                  new HealthChecker(
                      vertx,
                      TestConfigs.firstRoundOnly(List.of(started.url()), Duration.ofSeconds(2))));
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
                          return Eventually.until(vertx, () -> target.get().requests() == 1, 5_000);
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
            test.succeeding(
                stopped ->
                    test.verify(
                        () -> {
                          assertThat(vertx.deploymentIDs()).isEmpty();
                          test.completeNow();
                        })));
  }
}
