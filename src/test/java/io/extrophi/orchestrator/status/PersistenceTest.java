package io.extrophi.orchestrator.status;

import static io.extrophi.orchestrator.testing.Checked.thenComplete;
import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.api.HealthChecker;
import io.extrophi.orchestrator.bus.EventBusAddresses;
import io.extrophi.orchestrator.config.OrchestratorConfig;
import io.extrophi.orchestrator.config.RuntimeSettings;
import io.extrophi.orchestrator.testing.Eventually;
import io.extrophi.orchestrator.testing.IntegrationTest;
import io.extrophi.orchestrator.testing.TargetServer;
import io.extrophi.orchestrator.testing.TestConfigs;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Statistics, history and circuits survive a restart; a corrupt state file never blocks one. */
@ExtendWith(VertxExtension.class)
@IntegrationTest
class PersistenceTest {

  @TempDir Path dataDir;

  @Test
  void aRestartContinuesTheCountsHistoryAndOpenCircuit(Vertx vertx, VertxTestContext test) {
    AtomicReference<TargetServer> target = new AtomicReference<>();
    AtomicReference<JsonObject> before = new AtomicReference<>();
    AtomicReference<JsonObject> states = new AtomicReference<>();
    TargetServer.start(vertx)
        .compose(
            started -> {
              target.set(started.respondWith(503));
              return start(vertx, config(started));
            })
        // Threshold 2: the start-up probe and one trigger after it open the circuit.
        .compose(checker -> totalChecksReach(vertx, checker, 1))
        .compose(checker -> checker.trigger().map(triggered -> checker))
        .compose(
            checker ->
                checker
                    .status()
                    .compose(
                        status -> {
                          before.set(status.getJsonObject("services").getJsonObject("s0"));
                          return checker.stop();
                        }))
        .compose(
            stopped -> {
              test.verify(
                  () -> {
                    assertThat(before.get().getString("health")).isEqualTo("circuit_open");
                    assertThat(Files.exists(dataDir.resolve("state.bin"))).isTrue();
                  });
              return start(vertx, config(target.get()));
            })
        .compose(
            restarted ->
                restarted
                    .status()
                    .compose(
                        status ->
                            vertx
                                .eventBus()
                                .<JsonObject>request(
                                    EventBusAddresses.STATES_QUERY, new JsonObject())
                                .map(
                                    reply -> {
                                      states.set(reply.body());
                                      return status;
                                    })))
        .onComplete(
            thenComplete(
                test,
                status -> {
                  JsonObject after = status.getJsonObject("services").getJsonObject("s0");
                  assertThat(after.getString("health")).isEqualTo("circuit_open");
                  assertThat(after.getString("circuit_breaker_state")).isEqualTo("open");
                  assertThat(after.getLong("total_checks")).isEqualTo(2);
                  assertThat(after.getInteger("consecutive_failures")).isEqualTo(2);
                  assertThat(after.getString("error_message")).isEqualTo("HTTP 503");
                  assertThat(after.getJsonObject("latency").getLong("samples")).isEqualTo(2);
                  // What the metrics seed their gauges from: the same two states.
                  assertThat(states.get())
                      .isEqualTo(
                          new JsonObject()
                              .put(
                                  "services",
                                  new JsonObject()
                                      .put(
                                          "s0",
                                          new JsonObject()
                                              .put("health", "circuit_open")
                                              .put("circuit_breaker_state", "open"))));
                  // The restored open circuit is not probed at start-up.
                  assertThat(target.get().requests()).isEqualTo(2);
                }));
  }

  @Test
  void aRestartWithAChangedCheckStartsAFreshCircuitAndProbesAtOnce(
      Vertx vertx, VertxTestContext test) {
    AtomicReference<TargetServer> fixed = new AtomicReference<>();
    TargetServer.start(vertx)
        .compose(broken -> start(vertx, config(broken.respondWith(503))))
        // Threshold 2: the start-up probe and one trigger after it open the circuit.
        .compose(checker -> totalChecksReach(vertx, checker, 1))
        .compose(checker -> checker.trigger().map(triggered -> checker))
        .compose(checker -> checker.stop())
        .compose(stopped -> TargetServer.start(vertx))
        .compose(
            started -> {
              fixed.set(started);
              // The same service, now checked at another URL.
              return start(vertx, config(started));
            })
        .compose(restarted -> totalChecksReach(vertx, restarted, 3))
        .compose(HealthChecker::status)
        .onComplete(
            thenComplete(
                test,
                status -> {
                  JsonObject after = status.getJsonObject("services").getJsonObject("s0");
                  assertThat(after.getString("health")).isEqualTo("healthy");
                  assertThat(after.getString("circuit_breaker_state")).isEqualTo("closed");
                  // Statistics are kept by name, as after a reload.
                  assertThat(after.getLong("total_checks")).isEqualTo(3);
                  assertThat(after.getLong("successful_checks")).isEqualTo(1);
                  assertThat(fixed.get().requests()).isEqualTo(1);
                }));
  }

  @Test
  void aCorruptStateFileIsMovedAsideAndMonitoringStartsFresh(Vertx vertx, VertxTestContext test)
      throws Exception {
    Files.writeString(dataDir.resolve("state.bin"), "ORCH but not really");
    AtomicReference<TargetServer> target = new AtomicReference<>();
    TargetServer.start(vertx)
        .compose(
            started -> {
              target.set(started);
              return start(vertx, config(started));
            })
        .compose(
            checker ->
                Eventually.until(vertx, () -> target.get().requests() == 1, 10_000)
                    .compose(probed -> checker.status()))
        .onComplete(
            thenComplete(
                test,
                status -> {
                  assertThat(status.getJsonObject("services").getJsonObject("s0")).isNotNull();
                  try (Stream<Path> files = Files.list(dataDir)) {
                    assertThat(files.map(path -> path.getFileName().toString()))
                        .anyMatch(name -> name.startsWith("state.bin.corrupt-"));
                  }
                }));
  }

  private OrchestratorConfig config(TargetServer target) {
    OrchestratorConfig base =
        TestConfigs.config(
            List.of(target.url()),
            Duration.ofMinutes(10),
            Duration.ofSeconds(2),
            2,
            2,
            Duration.ofMinutes(10));
    return base.toBuilder()
        .runtime(
            RuntimeSettings.inMemory().toBuilder()
                .servicesFile(null)
                .dataDir(dataDir.toString())
                .build())
        .build();
  }

  private static Future<HealthChecker> totalChecksReach(
      Vertx vertx, HealthChecker checker, long count) {
    return checker
        .status()
        .compose(
            status ->
                status.getJsonObject("services").getJsonObject("s0").getLong("total_checks")
                        >= count
                    ? Future.succeededFuture(checker)
                    : Eventually.after(vertx, 20)
                        .compose(waited -> totalChecksReach(vertx, checker, count)));
  }

  private static Future<HealthChecker> start(Vertx vertx, OrchestratorConfig config) {
    HealthChecker checker = new HealthChecker(vertx, config);
    return checker.start().map(checker);
  }
}
