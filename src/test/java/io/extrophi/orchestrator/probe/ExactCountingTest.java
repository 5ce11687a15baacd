package io.extrophi.orchestrator.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.bus.EventBusAddresses;
import io.extrophi.orchestrator.bus.MessageSchema;
import io.extrophi.orchestrator.config.OrchestratorConfig;
import io.extrophi.orchestrator.config.ServiceDefinition;
import io.extrophi.orchestrator.status.StatusVerticle;
import io.extrophi.orchestrator.testing.FlappingTarget;
import io.extrophi.orchestrator.testing.TestConfigs;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Under a flapping fleet (targets toggling at random from a seed), {@code total_checks} and {@code
 * successful_checks} equal what the targets counted, probe for probe, over thousands of checks and
 * across configuration reloads: nothing is lost or counted twice.
 */
class ExactCountingTest {

  private static final int SERVICES = 10;

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void countsEqualTheTargetsCountsAcrossReloads() throws Exception {
    FlappingTarget target =
        FlappingTarget.start(vertx, SERVICES, 20261130L, 20)
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    List<String> urls = IntStream.range(0, SERVICES).mapToObj(target::url).toList();
    // Short circuits, so they open, half-open and close many times during the run.
    OrchestratorConfig config =
        TestConfigs.config(
            urls, Duration.ofMillis(25), Duration.ofSeconds(2), 3, 2, Duration.ofMillis(200));
    await(vertx.deployVerticle(new StatusVerticle(config, Clock.systemUTC())));
    await(vertx.deployVerticle(new ProbeVerticle(config, Clock.systemUTC())));

    // 28 s in all by default; -Dorchestrator.counting.seconds=N runs longer (thousands of rounds).
    long phase = Math.max(3, Long.getLong("orchestrator.counting.seconds", 28) * 1_000 / 28 * 10);
    TimeUnit.MILLISECONDS.sleep(phase);
    // A reload that changes half the services' checks (fresh circuits) and keeps the others.
    publish(withTimeout(config, Duration.ofMillis(1_900), 2));
    TimeUnit.MILLISECONDS.sleep(phase);
    publish(withTimeout(config, Duration.ofMillis(1_800), 3));
    TimeUnit.MILLISECONDS.sleep(phase * 8 / 10);
    // Quiesce: a ten-minute interval leaves only the check each changed service gets at once.
    OrchestratorConfig quiet =
        TestConfigs.config(
            urls, Duration.ofMinutes(10), Duration.ofSeconds(2), 3, 2, Duration.ofMillis(200));
    publish(quiet);
    TimeUnit.SECONDS.sleep(3);

    JsonObject services =
        await(
                vertx
                    .eventBus()
                    .<JsonObject>request(
                        EventBusAddresses.STATUS_QUERY,
                        new JsonObject(),
                        MessageSchema.localDelivery()))
            .body()
            .getJsonObject("services");
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
    // A check every 25 ms for 28 s, fewer while a circuit is open: hundreds of rounds per service
    // on the build machine, each on a new connection. How many is a matter of speed, not asserted;
    // enough must have run to cross both reloads and several circuit cycles.
    System.out.printf("exact counting: %d checks, at least %d per service%n", checks, fewestRounds);
    assertThat(fewestRounds).as("checks of the least checked service").isGreaterThan(20);
  }

  /** The configuration with every {@code every}-th service given another timeout. */
  private static OrchestratorConfig withTimeout(
      OrchestratorConfig config, Duration timeout, int every) {
    List<ServiceDefinition> services = new ArrayList<>();
    for (int i = 0; i < config.services().size(); i++) {
      ServiceDefinition service = config.services().get(i);
      services.add(i % every == 0 ? service.withTiming(service.interval(), timeout) : service);
    }
    return config.withServices(services);
  }

  private void publish(OrchestratorConfig next) {
    vertx
        .eventBus()
        .publish(EventBusAddresses.CONFIG_CHANGED, next.toJson(), MessageSchema.localDelivery());
  }

  private static <T> T await(io.vertx.core.Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
