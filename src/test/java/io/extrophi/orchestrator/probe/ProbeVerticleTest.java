package io.extrophi.orchestrator.probe;

import static io.extrophi.orchestrator.testing.Checked.thenComplete;
import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.api.HealthChecker;
import io.extrophi.orchestrator.bus.BreakerTransition;
import io.extrophi.orchestrator.bus.EventBusAddresses;
import io.extrophi.orchestrator.bus.ProbeResult;
import io.extrophi.orchestrator.config.OrchestratorConfig;
import io.extrophi.orchestrator.testing.Eventually;
import io.extrophi.orchestrator.testing.IntegrationTest;
import io.extrophi.orchestrator.testing.LaterRounds;
import io.extrophi.orchestrator.testing.TargetServer;
import io.extrophi.orchestrator.testing.TestConfigs;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The probe verticle and the status verticle together, against real targets on loopback. */
@ExtendWith(VertxExtension.class)
@IntegrationTest
class ProbeVerticleTest {

  @Test
  void probesEveryServiceOfARoundConcurrently(Vertx vertx, VertxTestContext test) {
    // The target answers nobody until all three probes are in flight at once: a round that
    // probed one service after the other would time out on the first and never get there.
    List<ProbeResult> results = collectResults(vertx);
    AtomicReference<TargetServer> target = new AtomicReference<>();
    TargetServer.start(vertx)
        .compose(
            started -> {
              target.set(started.holdUntilInFlight(3));
              String base = "http://127.0.0.1:" + started.port();
              return start(
                  vertx,
                  TestConfigs.firstRoundOnly(
                      List.of(base + "/a", base + "/b", base + "/c"), Duration.ofSeconds(30)));
            })
        .compose(
            checker ->
                Eventually.until(vertx, () -> results.size() == 3, 10_000)
                    .compose(probed -> checker.status()))
        .onComplete(
            thenComplete(
                test,
                status -> {
                  JsonObject services = status.getJsonObject("services");
                  for (String name : List.of("s0", "s1", "s2")) {
                    assertThat(services.getJsonObject(name).getString("health"))
                        .isEqualTo("healthy");
                    assertThat(services.getJsonObject(name).getLong("total_checks")).isEqualTo(1);
                  }
                  assertThat(target.get().maxInFlight()).isEqualTo(3);
                }));
  }

  @Test
  void neverSendsASecondProbeWhileTheFirstIsInFlight(Vertx vertx, VertxTestContext test) {
    AtomicReference<TargetServer> target = new AtomicReference<>();
    TargetServer.start(vertx)
        .compose(
            started -> {
              target.set(started.hang());
              return start(
                  vertx,
                  TestConfigs.config(
                      List.of(started.url()),
                      Duration.ofMillis(100),
                      // Long enough that the trigger below still finds the first probe in flight
                      // however long a busy machine takes between the two.
                      Duration.ofSeconds(5),
                      5,
                      2,
                      Duration.ofMinutes(1)));
            })
        // The first probe is in flight. Slots start once it is done (ProbeVerticle#schedule), so
        // a trigger is the one way to a second probe meanwhile.
        .compose(
            checker ->
                Eventually.until(vertx, () -> target.get().requests() == 1, 10_000).map(checker))
        .compose(
            checker -> {
              test.verify(() -> assertThat(target.get().requests()).isEqualTo(1));
              // A trigger joins the probe in flight instead of sending another.
              return checker.trigger();
            })
        .onComplete(
            thenComplete(
                test,
                triggered -> {
                  JsonObject s0 = triggered.getJsonObject("services").getJsonObject("s0");
                  assertThat(s0.getString("error_message")).isEqualTo("timeout after 5000 ms");
                  assertThat(s0.getLong("total_checks")).isEqualTo(1);
                  // Never two at once (after the timeout, the next slot may probe anew).
                  assertThat(target.get().maxInFlight()).isEqualTo(1);
                }));
  }

  @Test
  void opensHalfOpensAndClosesTheCircuitEndToEnd(Vertx vertx, VertxTestContext test) {
    AtomicReference<TargetServer> target = new AtomicReference<>();
    AtomicReference<HealthChecker> checker = new AtomicReference<>();
    List<String> transitions = new CopyOnWriteArrayList<>();
    List<ProbeResult> results = collectResults(vertx);
    vertx
        .eventBus()
        .<JsonObject>consumer(
            EventBusAddresses.BREAKER_TRANSITIONS,
            message -> {
              BreakerTransition transition = BreakerTransition.fromJson(message.body());
              transitions.add(transition.from().jsonName() + "->" + transition.to().jsonName());
            });
    TargetServer.start(vertx)
        .compose(
            started -> {
              target.set(started.respondWith(503));
              return start(
                  vertx,
                  TestConfigs.config(
                      List.of(started.url()),
                      Duration.ofMillis(50),
                      Duration.ofSeconds(2),
                      3,
                      2,
                      // The trigger below must come while the circuit is still open: a reset
                      // timeout of seconds, not a race with a busy machine's scheduler.
                      Duration.ofSeconds(3)));
            })
        .compose(
            started -> {
              checker.set(started);
              return Eventually.until(vertx, () -> transitions.contains("closed->open"), 10_000);
            })
        .compose(opened -> checker.get().trigger())
        .compose(
            whileOpen -> {
              // The trigger did not probe the open circuit, and skipped checks are not counted.
              JsonObject s0 = whileOpen.getJsonObject("services").getJsonObject("s0");
              test.verify(
                  () -> {
                    assertThat(s0.getString("health")).isEqualTo("circuit_open");
                    assertThat(s0.getString("circuit_breaker_state")).isEqualTo("open");
                    assertThat(s0.getLong("total_checks")).isEqualTo(3);
                    assertThat(s0.getLong("consecutive_failures")).isEqualTo(3);
                    assertThat(target.get().requests()).isEqualTo(3);
                  });
              target.get().respondWith(200);
              return Eventually.until(
                  vertx,
                  () -> transitions.contains("half_open->closed") && results.size() >= 5,
                  30_000);
            })
        .compose(closed -> checker.get().status())
        .onComplete(
            thenComplete(
                test,
                status -> {
                  assertThat(transitions.subList(0, 3))
                      .containsExactly("closed->open", "open->half_open", "half_open->closed");
                  JsonObject s0 = status.getJsonObject("services").getJsonObject("s0");
                  assertThat(s0.getString("health")).isEqualTo("healthy");
                  assertThat(s0.getString("circuit_breaker_state")).isEqualTo("closed");
                  // Probing goes on every 50 ms, so compare the stable prefix: three
                  // failures opened the circuit, two successes closed it, nothing was
                  // probed while it was open.
                  assertThat(results.subList(0, 5))
                      .extracting(ProbeResult::healthy)
                      .containsExactly(false, false, false, true, true);
                  assertThat(s0.getLong("total_checks")).isGreaterThanOrEqualTo(5);
                  assertThat(s0.getLong("successful_checks"))
                      .isEqualTo(s0.getLong("total_checks") - 3);
                }));
  }

  @Test
  void publishesOneResultPerProbeActuallySent(Vertx vertx, VertxTestContext test) {
    List<ProbeResult> results = collectResults(vertx);
    AtomicReference<TargetServer> target = new AtomicReference<>();
    TargetServer.start(vertx)
        .compose(
            started -> {
              target.set(started);
              return start(
                  vertx,
                  // Generous: the target answers at once, but a cold first probe on a busy
                  // machine can take seconds, and a timeout here would be the machine's.
                  TestConfigs.firstRoundOnly(List.of(started.url()), Duration.ofSeconds(30)));
            })
        // Triggers after the first round has completed, so neither joins its probe.
        .compose(
            checker ->
                Eventually.until(vertx, () -> results.size() == 1, 10_000)
                    .compose(firstRound -> checker.trigger())
                    .compose(first -> checker.trigger()))
        .onComplete(
            thenComplete(
                test,
                second -> {
                  assertThat(target.get().requests()).isEqualTo(3);
                  assertThat(results).hasSize(3).allMatch(ProbeResult::healthy);
                  assertThat(second.fieldNames())
                      .containsExactly("schema_version", "timestamp", "services");
                }));
  }

  @Test
  void stopsProbingOnceStopped(Vertx vertx, VertxTestContext test) {
    AtomicReference<TargetServer> target = new AtomicReference<>();
    AtomicReference<Integer> countAtStop = new AtomicReference<>();
    TargetServer.start(vertx)
        .compose(
            started -> {
              target.set(started);
              return start(
                  vertx,
                  TestConfigs.config(
                      List.of(started.url()),
                      Duration.ofMillis(50),
                      Duration.ofSeconds(1),
                      5,
                      2,
                      Duration.ofMinutes(1)));
            })
        .compose(
            checker ->
                Eventually.until(vertx, () -> target.get().requests() >= 3, 10_000)
                    .compose(probing -> checker.stop()))
        .compose(
            stopped -> {
              countAtStop.set(target.get().requests());
              // Six intervals on the same event loops: a probe still scheduled would have gone.
              return LaterRounds.ofWitness(vertx, Duration.ofMillis(50), 6);
            })
        .onComplete(
            thenComplete(
                test,
                waited -> {
                  assertThat(target.get().requests()).isEqualTo(countAtStop.get());
                  assertThat(vertx.deploymentIDs()).isEmpty();
                }));
  }

  @Test
  void reportsHowLateScheduledProbesWentOutAndWhichSlotsWereMissed(
      Vertx vertx, VertxTestContext test) {
    AtomicReference<TargetServer> fast = new AtomicReference<>();
    AtomicReference<JsonObject> schedule = new AtomicReference<>(new JsonObject());
    Future.all(TargetServer.start(vertx), TargetServer.start(vertx))
        .compose(
            targets -> {
              fast.set(targets.resultAt(0));
              TargetServer hanging = ((TargetServer) targets.resultAt(1)).hang();
              // The hanging service's probes time out after 300 ms, so its slots every 100 ms
              // find the previous probe still running.
              return start(
                  vertx,
                  TestConfigs.config(
                      List.of(fast.get().url(), hanging.url()),
                      Duration.ofMillis(100),
                      Duration.ofMillis(300),
                      100,
                      2,
                      Duration.ofMinutes(1)));
            })
        .compose(
            checker ->
                Eventually.until(
                    vertx,
                    () -> {
                      vertx
                          .eventBus()
                          .<JsonObject>request(EventBusAddresses.SCHEDULE_QUERY, new JsonObject())
                          .onSuccess(reply -> schedule.set(reply.body()));
                      return schedule.get().getLong("missed_slots", 0L) > 0
                          && schedule.get().getJsonObject("lag").getLong("samples") >= 4;
                    },
                    10_000))
        .onComplete(
            thenComplete(
                test,
                reported -> {
                  JsonObject lag = schedule.get().getJsonObject("lag");
                  assertThat(lag.getDouble("p99_ms")).isNotNull().isNotNegative();
                  // At most the hanging probe and a fast one caught on its way.
                  assertThat(schedule.get().getInteger("in_flight")).isBetween(0, 2);
                  assertThat(schedule.get().getInteger("waiting")).isZero();
                }));
  }

  private static List<ProbeResult> collectResults(Vertx vertx) {
    List<ProbeResult> results = new CopyOnWriteArrayList<>();
    vertx
        .eventBus()
        .<JsonObject>consumer(
            EventBusAddresses.PROBE_RESULTS,
            message -> results.add(ProbeResult.fromJson(message.body())));
    return results;
  }

  private static Future<HealthChecker> start(Vertx vertx, OrchestratorConfig config) {
    HealthChecker checker = new HealthChecker(vertx, config);
    return checker.start().map(checker);
  }
}
