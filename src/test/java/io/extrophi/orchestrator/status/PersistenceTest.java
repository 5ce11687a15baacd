package io.extrophi.orchestrator.status;

import static io.extrophi.orchestrator.testing.Checked.thenComplete;
import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.api.HealthChecker;
import io.extrophi.orchestrator.bus.EventBusAddresses;
import io.extrophi.orchestrator.config.OrchestratorConfig;
import io.extrophi.orchestrator.config.RuntimeSettings;
import io.extrophi.orchestrator.testing.ApiClient;
import io.extrophi.orchestrator.testing.Eventually;
import io.extrophi.orchestrator.testing.IntegrationTest;
import io.extrophi.orchestrator.testing.MonitoredTarget;
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
    AtomicReference<JsonObject> before = new AtomicReference<>();
    AtomicReference<TargetServer> target = new AtomicReference<>();
    openTheCircuit(vertx, before)
        .compose(
            stopped -> {
              target.set(stopped);
              test.verify(
                  () -> {
                    assertThat(before.get().getString("health")).isEqualTo("circuit_open");
                    assertThat(Files.exists(dataDir.resolve("state.bin"))).isTrue();
                  });
              return MonitoredTarget.start(vertx, stopped, config(stopped));
            })
        .compose(restarted -> restarted.checker().status())
        .compose(
            status ->
                vertx
                    .eventBus()
                    .<JsonObject>request(EventBusAddresses.STATES_QUERY, new JsonObject())
                    .onSuccess(
                        states ->
                            // What the metrics seed their gauges from: the same two states.
                            test.verify(
                                () ->
                                    assertThat(states.body())
                                        .isEqualTo(
                                            new JsonObject(
                                                "{\"services\":{\"s0\":{\"health\":\"circuit_open\","
                                                    + "\"circuit_breaker_state\":\"open\"}}}"))))
                    .map(status))
        .onComplete(
            thenComplete(
                test,
                status -> {
                  JsonObject s0 = ApiClient.service(status, "s0");
                  ApiClient.assertFields(
                      s0,
                      "health=circuit_open, circuit_breaker_state=open, total_checks=2,"
                          + " consecutive_failures=2, error_message=HTTP 503");
                  assertThat(s0.getJsonObject("latency").getLong("samples")).isEqualTo(2);
                  // The restored open circuit is not probed at start-up.
                  assertThat(target.get().requests()).isEqualTo(2);
                }));
  }

  @Test
  void aRestartWithAChangedCheckStartsAFreshCircuitAndProbesAtOnce(
      Vertx vertx, VertxTestContext test) {
    AtomicReference<TargetServer> fixed = new AtomicReference<>();
    openTheCircuit(vertx, new AtomicReference<>())
        // The same service, now checked at another URL.
        .compose(stopped -> MonitoredTarget.start(vertx, this::config))
        .compose(
            restarted -> {
              fixed.set(restarted.target());
              return totalChecksReach(vertx, restarted.checker(), 3);
            })
        .compose(HealthChecker::status)
        .onComplete(
            thenComplete(
                test,
                status -> {
                  // Statistics are kept by name, as after a reload.
                  ApiClient.assertFields(
                      ApiClient.service(status, "s0"),
                      "health=healthy, circuit_breaker_state=closed, total_checks=3,"
                          + " successful_checks=1");
                  assertThat(fixed.get().requests()).isEqualTo(1);
                }));
  }

  @Test
  void aCorruptStateFileIsMovedAsideAndMonitoringStartsFresh(Vertx vertx, VertxTestContext test)
      throws Exception {
    Files.writeString(dataDir.resolve("state.bin"), "ORCH but not really");
    MonitoredTarget.start(vertx, this::config)
        .compose(started -> started.statusWhen(() -> started.target().requests() == 1))
        .onComplete(
            thenComplete(
                test,
                status -> {
                  assertThat(ApiClient.service(status, "s0")).isNotNull();
                  try (Stream<Path> files = Files.list(dataDir)) {
                    assertThat(files.map(path -> path.getFileName().toString()))
                        .anyMatch(name -> name.startsWith("state.bin.corrupt-"));
                  }
                }));
  }

  /**
   * Starts monitoring a target that answers 503 until the circuit opens (threshold 2: the start-up
   * probe and one trigger after it), then stops; the target, still running. {@code status} is the
   * service's status before the stop.
   */
  private Future<TargetServer> openTheCircuit(Vertx vertx, AtomicReference<JsonObject> status) {
    return MonitoredTarget.start(vertx, target -> config(target.respondWith(503)))
        .compose(
            started ->
                totalChecksReach(vertx, started.checker(), 1)
                    .compose(HealthChecker::trigger)
                    .compose(triggered -> started.checker().status())
                    .compose(
                        last -> {
                          status.set(ApiClient.service(last, "s0"));
                          return started.checker().stop();
                        })
                    .map(started.target()));
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
                ApiClient.totalChecks(status, "s0") >= count
                    ? Future.succeededFuture(checker)
                    : Eventually.after(vertx, 20)
                        .compose(waited -> totalChecksReach(vertx, checker, count)));
  }
}
