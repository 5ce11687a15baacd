package io.extrophi.orchestrator.probe;

import static io.extrophi.orchestrator.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.api.HealthChecker;
import io.extrophi.orchestrator.config.ConnectionMode;
import io.extrophi.orchestrator.config.OrchestratorConfig;
import io.extrophi.orchestrator.config.ServiceDefinition;
import io.extrophi.orchestrator.testing.FaultTarget;
import io.extrophi.orchestrator.testing.IntegrationTest;
import io.extrophi.orchestrator.testing.LaterRounds;
import io.extrophi.orchestrator.testing.MonitoredTarget;
import io.extrophi.orchestrator.testing.TestConfigs;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A target whose accept loop died keeps serving the connections it already has. A {@code fresh}
 * probe opens a new connection every time and sees it at once; a {@code reuse} probe sees it when
 * its pooled connection reaches the maximum age.
 */
@ExtendWith(VertxExtension.class)
@IntegrationTest
class ConnectionModeTest {

  private static final Duration MAX_AGE = Duration.ofSeconds(3);

  private Vertx vertx;

  @BeforeEach
  void useVertx(Vertx vertx) {
    this.vertx = vertx;
  }

  @Test
  void aFreshProbeSeesADeadListenerAtOnceAndAReusedOneWithinTheMaximumAge() throws Exception {
    try (FaultTarget freshTarget = FaultTarget.start();
        FaultTarget reuseTarget = FaultTarget.start()) {
      OrchestratorConfig base =
          TestConfigs.firstRoundOnly(
              List.of(freshTarget.url("/ok"), reuseTarget.url("/ok")), Duration.ofSeconds(10));
      List<ServiceDefinition> services = base.services();
      OrchestratorConfig config =
          base.toBuilder()
              .services(
                  List.of(
                      services.get(0).toBuilder().connection(ConnectionMode.FRESH).build(),
                      services.get(1).toBuilder().connection(ConnectionMode.REUSE).build()))
              .runtime(
                  base.runtime().toBuilder()
                      .connection(ConnectionMode.FRESH)
                      .connectionMaxAge(MAX_AGE)
                      .build())
              .build();
      HealthChecker checker = await(MonitoredTarget.checker(vertx, config));
      for (JsonObject status : await(LaterRounds.answersOf(checker, 3))) {
        assertThat(health(status, "s0")).isEqualTo("healthy");
        assertThat(health(status, "s1")).isEqualTo("healthy");
      }
      // Fresh: one connection per probe. Reuse: the pooled connection carried several probes.
      assertThat(freshTarget.acceptedConnections()).isEqualTo(freshTarget.requests());
      assertThat(reuseTarget.acceptedConnections()).isLessThan(reuseTarget.requests());

      freshTarget.stopAccepting();
      reuseTarget.stopAccepting();
      JsonObject next = await(checker.trigger());
      assertThat(health(next, "s0")).isEqualTo("unhealthy");
      assertThat(next.getJsonObject("services").getJsonObject("s0").getString("error_message"))
          .isEqualTo("connection refused");

      // Reuse keeps probing over its established connection until that reaches the maximum age;
      // then it needs a new one, which is refused.
      long deadline = System.currentTimeMillis() + 120_000;
      String reuseHealth = health(next, "s1");
      while (!"unhealthy".equals(reuseHealth)) {
        assertThat(System.currentTimeMillis())
            .as("reuse noticed before 120 s")
            .isLessThan(deadline);
        TimeUnit.MILLISECONDS.sleep(200);
        reuseHealth = health(await(checker.trigger()), "s1");
      }
      await(checker.stop());
    }
  }

  private static String health(JsonObject status, String service) {
    return status.getJsonObject("services").getJsonObject(service).getString("health");
  }
}
