package io.extrophi.orchestrator.probe;

import static io.extrophi.orchestrator.testing.Checked.thenComplete;
import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.bus.BreakerTransition;
import io.extrophi.orchestrator.bus.EventBusAddresses;
import io.extrophi.orchestrator.bus.ProbeResult;
import io.extrophi.orchestrator.testing.ApiClient;
import io.extrophi.orchestrator.testing.BusMessages;
import io.extrophi.orchestrator.testing.IntegrationTest;
import io.extrophi.orchestrator.testing.LaterRounds;
import io.extrophi.orchestrator.testing.MonitoredTarget;
import io.extrophi.orchestrator.testing.TargetServer;
import io.extrophi.orchestrator.testing.TestConfigs;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The probe verticle and the status verticle together, against real targets on loopback. */
@ExtendWith(VertxExtension.class)
@IntegrationTest
class ProbeVerticleTest {

  /** The checker under test and its target, once started. */
  private MonitoredTarget monitored;

  /** Keeps the started fixture for the later steps of the test. */
  private MonitoredTarget keep(MonitoredTarget started) {
    monitored = started;
    return started;
  }

  @Test
  void probesEveryServiceOfARoundConcurrently(Vertx vertx, VertxTestContext test) {
    // The target answers nobody until all three probes are in flight at once: a round that
    // probed one service after the other would time out on the first and never get there.
    MonitoredTarget.start(
            vertx,
            target -> {
              String base = "http://127.0.0.1:" + target.holdUntilInFlight(3).port();
              return TestConfigs.firstRoundOnly(
                  List.of(base + "/a", base + "/b", base + "/c"), Duration.ofSeconds(30));
            })
        .map(this::keep)
        .compose(started -> started.statusWhen(() -> started.results().size() == 3))
        .onComplete(
            thenComplete(
                test,
                status -> {
                  for (String name : List.of("s0", "s1", "s2")) {
                    JsonObject service = ApiClient.service(status, name);
                    assertThat(service.getString("health")).isEqualTo("healthy");
                    assertThat(service.getLong("total_checks")).isEqualTo(1);
                  }
                  assertThat(monitored.target().maxInFlight()).isEqualTo(3);
                }));
  }

  @Test
  void aFirstRoundOfSeveralSlicesChecksEveryServiceExactlyOnce(Vertx vertx, VertxTestContext test) {
    // Scheduled a slice per event-loop turn: no service may be lost or checked twice between
    // slices, the last one shorter than the rest.
    int services = 2 * ProbedServices.FIRST_ROUND_SLICE + 7;
    MonitoredTarget.start(
            vertx,
            target -> {
              List<String> urls =
                  IntStream.range(0, services).mapToObj(i -> target.url() + "/" + i).toList();
              return TestConfigs.firstRoundOnly(urls, Duration.ofSeconds(30));
            })
        .map(this::keep)
        .compose(started -> started.statusWhen(() -> started.results().size() >= services))
        .onComplete(
            thenComplete(
                test,
                status -> {
                  assertThat(monitored.results().stream().map(ProbeResult::service).distinct())
                      .hasSize(services);
                  assertThat(monitored.results()).hasSize(services);
                  assertThat(monitored.target().requests()).isEqualTo(services);
                }));
  }

  @Test
  void neverSendsASecondProbeWhileTheFirstIsInFlight(Vertx vertx, VertxTestContext test) {
    // A timeout of 5 s: long enough that the trigger below still finds the first probe in flight
    // however long a busy machine takes between the two.
    MonitoredTarget.start(
            vertx, target -> TestConfigs.every(Duration.ofMillis(100), target.hang().url()))
        // The first probe is in flight. Slots start once it is done (ProbeVerticle#schedule), so
        // a trigger is the one way to a second probe meanwhile.
        .map(this::keep)
        .compose(started -> started.until(() -> started.target().requests() == 1))
        .compose(
            inFlight -> {
              test.verify(() -> assertThat(monitored.target().requests()).isEqualTo(1));
              // A trigger joins the probe in flight instead of sending another.
              return monitored.checker().trigger();
            })
        .onComplete(
            thenComplete(
                test,
                triggered -> {
                  JsonObject s0 = ApiClient.service(triggered, "s0");
                  assertThat(s0.getString("error_message")).isEqualTo("timeout after 5000 ms");
                  assertThat(s0.getLong("total_checks")).isEqualTo(1);
                  // Never two at once (after the timeout, the next slot may probe anew).
                  assertThat(monitored.target().maxInFlight()).isEqualTo(1);
                }));
  }

  @Test
  void opensHalfOpensAndClosesTheCircuitEndToEnd(Vertx vertx, VertxTestContext test) {
    List<String> transitions =
        BusMessages.recorded(
            vertx,
            EventBusAddresses.BREAKER_TRANSITIONS,
            json -> {
              BreakerTransition transition = BreakerTransition.fromJson(json);
              return transition.from().jsonName() + "->" + transition.to().jsonName();
            });
    MonitoredTarget.start(
            vertx,
            target ->
                TestConfigs.config(
                    List.of(target.respondWith(503).url()),
                    Duration.ofMillis(50),
                    Duration.ofSeconds(2),
                    3,
                    2,
                    // The trigger below must come while the circuit is still open: a reset
                    // timeout of seconds, not a race with a busy machine's scheduler.
                    Duration.ofSeconds(3)))
        .map(this::keep)
        .compose(started -> started.until(() -> transitions.contains("closed->open")))
        .compose(opened -> monitored.checker().trigger())
        .compose(
            whileOpen -> {
              // The trigger did not probe the open circuit, and skipped checks are not counted.
              test.verify(
                  () -> {
                    JsonObject s0 = ApiClient.service(whileOpen, "s0");
                    assertThat(s0.getString("health")).isEqualTo("circuit_open");
                    assertThat(s0.getString("circuit_breaker_state")).isEqualTo("open");
                    assertThat(s0.getLong("total_checks")).isEqualTo(3);
                    assertThat(s0.getLong("consecutive_failures")).isEqualTo(3);
                    assertThat(monitored.target().requests()).isEqualTo(3);
                  });
              monitored.target().respondWith(200);
              return monitored.until(
                  () ->
                      transitions.contains("half_open->closed") && monitored.results().size() >= 5);
            })
        .compose(closed -> monitored.checker().status())
        .onComplete(
            thenComplete(
                test,
                status -> {
                  assertThat(transitions.subList(0, 3))
                      .containsExactly("closed->open", "open->half_open", "half_open->closed");
                  JsonObject s0 = ApiClient.service(status, "s0");
                  assertThat(s0.getString("health")).isEqualTo("healthy");
                  assertThat(s0.getString("circuit_breaker_state")).isEqualTo("closed");
                  // Probing goes on every 50 ms, so compare the stable prefix: three
                  // failures opened the circuit, two successes closed it, nothing was
                  // probed while it was open.
                  assertThat(monitored.results().subList(0, 5))
                      .extracting(ProbeResult::healthy)
                      .containsExactly(false, false, false, true, true);
                  assertThat(s0.getLong("total_checks")).isGreaterThanOrEqualTo(5);
                  assertThat(s0.getLong("successful_checks"))
                      .isEqualTo(s0.getLong("total_checks") - 3);
                }));
  }

  @Test
  void publishesOneResultPerProbeActuallySent(Vertx vertx, VertxTestContext test) {
    MonitoredTarget.start(
            vertx,
            // Generous: the target answers at once, but a cold first probe on a busy machine can
            // take seconds, and a timeout here would be the machine's.
            target -> TestConfigs.firstRoundOnly(List.of(target.url()), Duration.ofSeconds(30)))
        // Triggers after the first round has completed, so neither joins its probe.
        .map(this::keep)
        .compose(started -> started.until(() -> started.results().size() == 1))
        .compose(firstRound -> monitored.checker().trigger())
        .compose(first -> monitored.checker().trigger())
        .onComplete(
            thenComplete(
                test,
                second -> {
                  assertThat(monitored.target().requests()).isEqualTo(3);
                  assertThat(monitored.results()).hasSize(3).allMatch(ProbeResult::healthy);
                  assertThat(second.fieldNames())
                      .containsExactly("schema_version", "timestamp", "services");
                }));
  }

  @Test
  void stopsProbingOnceStopped(Vertx vertx, VertxTestContext test) {
    AtomicReference<Integer> countAtStop = new AtomicReference<>();
    MonitoredTarget.start(vertx, target -> TestConfigs.every(Duration.ofMillis(50), target.url()))
        .map(this::keep)
        .compose(started -> started.until(() -> started.target().requests() >= 3))
        .compose(probing -> monitored.checker().stop())
        .compose(
            stopped -> {
              countAtStop.set(monitored.target().requests());
              // Six intervals on the same event loops: a probe still scheduled would have gone.
              return LaterRounds.ofWitness(vertx, Duration.ofMillis(50), 6);
            })
        .onComplete(
            thenComplete(
                test,
                waited -> {
                  assertThat(monitored.target().requests()).isEqualTo(countAtStop.get());
                  assertThat(vertx.deploymentIDs()).isEmpty();
                }));
  }

  @Test
  void reportsHowLateScheduledProbesWentOutAndWhichSlotsWereMissed(
      Vertx vertx, VertxTestContext test) {
    AtomicReference<JsonObject> schedule = new AtomicReference<>(new JsonObject());
    TargetServer.start(vertx)
        .compose(
            hanging ->
                MonitoredTarget.start(
                    vertx,
                    // The hanging service's probes time out after 300 ms, so its slots every
                    // 100 ms find the previous probe still running.
                    fast ->
                        TestConfigs.config(
                            List.of(fast.url(), hanging.hang().url()),
                            Duration.ofMillis(100),
                            Duration.ofMillis(300),
                            100,
                            2,
                            Duration.ofMinutes(1))))
        .compose(
            started ->
                started.until(
                    () -> {
                      vertx
                          .eventBus()
                          .<JsonObject>request(EventBusAddresses.SCHEDULE_QUERY, new JsonObject())
                          .onSuccess(reply -> schedule.set(reply.body()));
                      return schedule.get().getLong("missed_slots", 0L) > 0
                          && schedule.get().getJsonObject("lag").getLong("samples") >= 4;
                    }))
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
}
