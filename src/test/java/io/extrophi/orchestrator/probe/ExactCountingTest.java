package io.extrophi.orchestrator.probe;

import static io.extrophi.orchestrator.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.bus.EventBusAddresses;
import io.extrophi.orchestrator.bus.MessageSchema;
import io.extrophi.orchestrator.config.OrchestratorConfig;
import io.extrophi.orchestrator.config.ServiceDefinition;
import io.extrophi.orchestrator.status.StatusVerticle;
import io.extrophi.orchestrator.testing.FlappingTarget;
import io.extrophi.orchestrator.testing.SoakTest;
import io.extrophi.orchestrator.testing.TestConfigs;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Under a flapping fleet (targets toggling at random from a seed), {@code total_checks} and {@code
 * successful_checks} equal what the targets counted, probe for probe, over thousands of checks and
 * across configuration reloads: nothing is lost or counted twice.
 */
@ExtendWith(VertxExtension.class)
@SoakTest
class ExactCountingTest {

  private static final int SERVICES = 10;

  @Test
  void countsEqualTheTargetsCountsAcrossReloads(Vertx vertx) throws Exception {
    FlappingTarget target = await(FlappingTarget.start(vertx, SERVICES, 20261130L, 20));
    List<String> urls = IntStream.range(0, SERVICES).mapToObj(target::url).toList();
    // Short circuits, so they open, half-open and close many times during the run. Generous
    // timeouts: the target answers at once, and a timeout on a busy machine would turn an answer
    // the target counted as a success into a failure, which is the machine, not the counting.
    OrchestratorConfig config =
        TestConfigs.config(
            urls, Duration.ofMillis(25), Duration.ofSeconds(30), 3, 2, Duration.ofMillis(200));
    await(vertx.deployVerticle(new StatusVerticle(config, Clock.systemUTC())));
    await(vertx.deployVerticle(new ProbeVerticle(config, Clock.systemUTC())));

    // 28 s in all by default; -Dorchestrator.counting.seconds=N runs longer (thousands of rounds).
    long phase = Math.max(3, Long.getLong("orchestrator.counting.seconds", 28) * 1_000 / 28 * 10);
    TimeUnit.MILLISECONDS.sleep(phase);
    // A reload that changes half the services' checks (fresh circuits) and keeps the others.
    publish(vertx, withTimeout(config, Duration.ofSeconds(29), 2));
    TimeUnit.MILLISECONDS.sleep(phase);
    publish(vertx, withTimeout(config, Duration.ofSeconds(28), 3));
    TimeUnit.MILLISECONDS.sleep(phase * 8 / 10);
    // Quiesce: a ten-minute interval leaves only the check each changed service gets at once.
    OrchestratorConfig quiet =
        TestConfigs.config(
            urls, Duration.ofMinutes(10), Duration.ofSeconds(30), 3, 2, Duration.ofMillis(200));
    publish(vertx, quiet);
    // Until the last probes in flight are recorded (an event, however long a busy machine takes;
    // the deadline only bounds a failing run), then the counts must be exact.
    JsonObject services = statusOfServices(vertx);
    long settleBy = System.currentTimeMillis() + 60_000;
    while (!countsMatch(services, target) && System.currentTimeMillis() < settleBy) {
      TimeUnit.MILLISECONDS.sleep(100);
      services = statusOfServices(vertx);
    }
    long checks = 0;
    long fewestRounds = Long.MAX_VALUE;
    for (int i = 0; i < SERVICES; i++) {
      JsonObject status = services.getJsonObject("s" + i);
      assertThat(status.getLong("total_checks"))
          .as("total_checks of s%d", i)
          .isEqualTo(target.requests(i));
      assertThat(status.getLong("successful_checks"))
          .as("successful_checks of s%d", i)
          .isEqualTo(target.successes(i));
      checks += status.getLong("total_checks");
      fewestRounds = Math.min(fewestRounds, status.getLong("total_checks"));
    }
    // A check every 25 ms for 28 s, fewer while a circuit is open: about a thousand rounds per
    // service on an idle machine. How many depends on how busy the machine is, so the figure is
    // printed; the test only needs every service to have been counted across the reloads (each
    // reload that changes a service checks it at once).
    System.out.printf("exact counting: %d checks, at least %d per service%n", checks, fewestRounds);
    assertThat(fewestRounds).as("checks of the least checked service").isGreaterThanOrEqualTo(3);
  }

  private static JsonObject statusOfServices(Vertx vertx) throws Exception {
    return await(
            vertx
                .eventBus()
                .<JsonObject>request(
                    EventBusAddresses.STATUS_QUERY,
                    new JsonObject(),
                    MessageSchema.localDelivery()))
        .body()
        .getJsonObject("services");
  }

  private static boolean countsMatch(JsonObject services, FlappingTarget target) {
    for (int i = 0; i < SERVICES; i++) {
      JsonObject status = services.getJsonObject("s" + i);
      if (status.getLong("total_checks") != target.requests(i)
          || status.getLong("successful_checks") != target.successes(i)) {
        return false;
      }
    }
    return true;
  }

  /** The configuration with every {@code every}-th service given another timeout. */
  private static OrchestratorConfig withTimeout(
      OrchestratorConfig config, Duration timeout, int every) {
    List<ServiceDefinition> services = new ArrayList<>();
    for (int i = 0; i < config.services().size(); i++) {
      ServiceDefinition service = config.services().get(i);
      services.add(
          i % every == 0
              ? service.toBuilder().interval(service.interval()).timeout(timeout).build()
              : service);
    }
    return config.toBuilder().services(services).build();
  }

  private static void publish(Vertx vertx, OrchestratorConfig next) {
    vertx
        .eventBus()
        .publish(EventBusAddresses.CONFIG_CHANGED, next.toJson(), MessageSchema.localDelivery());
  }
}
