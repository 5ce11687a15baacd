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

  private static final int SERVICES = 20;

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void countsEqualTheTargetsCountsAcrossReloads() throws Exception {
    FlappingTarget target =
        FlappingTarget.start(vertx, SERVICES, 20261130L, 5)
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    List<String> urls = IntStream.range(0, SERVICES).mapToObj(target::url).toList();
    // Short circuits, so they open, half-open and close many times during the run.
    OrchestratorConfig config =
        TestConfigs.config(
            urls, Duration.ofMillis(50), Duration.ofSeconds(2), 3, 2, Duration.ofMillis(200));
    await(vertx.deployVerticle(new StatusVerticle(config, Clock.systemUTC())));
    await(vertx.deployVerticle(new ProbeVerticle(config, Clock.systemUTC())));

    TimeUnit.SECONDS.sleep(4);
    // A reload that changes half the services' checks (fresh circuits) and keeps the others.
    publish(withTimeout(config, Duration.ofMillis(1_900), 2));
    TimeUnit.SECONDS.sleep(4);
    publish(withTimeout(config, Duration.ofMillis(1_800), 3));
    TimeUnit.SECONDS.sleep(2);
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
    for (int i = 0; i < SERVICES; i++) {
      JsonObject status = services.getJsonObject("s" + i);
      assertThat(status.getLong("total_checks"))
          .as("total_checks of s%d", i)
          .isEqualTo(target.requests(i));
      assertThat(status.getLong("successful_checks"))
          .as("successful_checks of s%d", i)
          .isEqualTo(target.successes(i));
      checks += status.getLong("total_checks");
    }
    // About 2,500 on the build machine (circuits are open much of the time); fewer where it is
    // slower, never too few to mean something.
    assertThat(checks).as("checks compared").isGreaterThan(1_500);
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
