package io.extrophi.orchestrator.probe;

import static io.extrophi.orchestrator.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.api.HealthChecker;
import io.extrophi.orchestrator.bus.EventBusAddresses;
import io.extrophi.orchestrator.bus.MessageSchema;
import io.extrophi.orchestrator.config.ConnectionMode;
import io.extrophi.orchestrator.config.OrchestratorConfig;
import io.extrophi.orchestrator.config.ServiceDefinition;
import io.extrophi.orchestrator.testing.Eventually;
import io.extrophi.orchestrator.testing.IntegrationTest;
import io.extrophi.orchestrator.testing.RoutingTarget;
import io.extrophi.orchestrator.testing.TestConfigs;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Many services behind one host and port, as behind a gateway: the probe connections follow the
 * fleet through reloads, and services that hang cannot take the connections of healthy ones.
 */
@IntegrationTest
class FleetSharingTest {

  private final Vertx vertx = Vertx.vertx();
  private final Map<String, AtomicInteger> healthyResults = new ConcurrentHashMap<>();
  private final Map<String, List<String>> failures = new ConcurrentHashMap<>();

  @AfterEach
  void closeVertx() throws Exception {
    await(vertx.close());
  }

  @ParameterizedTest
  @EnumSource(ConnectionMode.class)
  void aFleetGrownByReloadHasAConnectionForEveryService(ConnectionMode mode) throws Exception {
    RoutingTarget target = await(RoutingTarget.start(vertx));
    List<String> urls = IntStream.range(0, 30).mapToObj(i -> target.url("/slow/s" + i)).toList();
    OrchestratorConfig grown = fleet(urls, mode, Duration.ofSeconds(1), Duration.ofSeconds(3));
    OrchestratorConfig single = grown.toBuilder().services(grown.services().subList(0, 1)).build();
    countResults();
    HealthChecker checker = new HealthChecker(vertx, single);
    await(checker.start());
    await(Eventually.until(vertx, () -> healthyResults.containsKey("s0"), 60_000));

    vertx
        .eventBus()
        .publish(EventBusAddresses.CONFIG_CHANGED, grown.toJson(), MessageSchema.localDelivery());
    // Three rounds of every service, each answering in 200 ms: 30 at once on one host and port.
    await(
        Eventually.until(
            vertx, () -> IntStream.range(0, 30).allMatch(i -> healthy("s" + i) >= 3), 120_000),
        Duration.ofSeconds(120));
    // Taken before the stop, which cuts off the probes in flight.
    Map<String, List<String>> failed = Map.copyOf(failures);
    await(checker.stop());
    assertThat(failed).as("failed probes after the reload").isEmpty();
  }

  @ParameterizedTest
  @EnumSource(ConnectionMode.class)
  void servicesThatHangCannotStarveHealthyOnesBehindTheSameGateway(ConnectionMode mode)
      throws Exception {
    RoutingTarget target = await(RoutingTarget.start(vertx));
    long startedAt = System.nanoTime();
    List<String> urls = new ArrayList<>();
    IntStream.range(0, 500).forEach(i -> urls.add(target.url("/hang/h" + i)));
    IntStream.range(0, 20).forEach(i -> urls.add(target.url("/ok/g" + i)));
    OrchestratorConfig config = fleet(urls, mode, Duration.ofSeconds(1), Duration.ofMillis(2_500));
    countResults();
    HealthChecker checker = new HealthChecker(vertx, config);
    await(checker.start());

    // A hanging service holds its connection for the whole timeout and is probed again at its
    // next slot after that: about one probe per three slots. A healthy one is probed at every
    // slot. Wait until every hanging service has had four probes, so the schedule has run at
    // least ten slots.
    await(
        Eventually.until(
            vertx,
            () -> IntStream.range(0, 500).allMatch(i -> target.requests("/hang/h" + i) >= 4),
            300_000),
        Duration.ofSeconds(300));
    int hangingProbes =
        IntStream.range(0, 500).map(i -> target.requests("/hang/h" + i)).min().orElse(0);
    JsonObject schedule =
        await(
                vertx
                    .eventBus()
                    .<JsonObject>request(EventBusAddresses.SCHEDULE_QUERY, new JsonObject()))
            .body();
    JsonObject status = await(checker.status()).getJsonObject("services");
    Map<String, List<String>> failed = Map.copyOf(failures);
    await(checker.stop());

    // For the record (not asserted): how many probes each healthy service got meanwhile.
    System.out.printf(
        "500 hanging + 20 healthy (%s): %d s, healthy probes %d-%d each, hanging at least %d,"
            + " connection wait p99 %s ms%n",
        mode,
        (System.nanoTime() - startedAt) / 1_000_000_000,
        IntStream.range(0, 20).map(i -> target.requests("/ok/g" + i)).min().orElse(0),
        IntStream.range(0, 20).map(i -> target.requests("/ok/g" + i)).max().orElse(0),
        hangingProbes,
        schedule.getJsonObject("connection_wait").getJsonObject("recent").getValue("p99_ms"));
    for (int i = 0; i < 20; i++) {
      String name = "s" + (500 + i);
      assertThat(failed.get(name)).as("failures of healthy %s", name).isNull();
      assertThat(status.getJsonObject(name).getString("health")).as(name).isEqualTo("healthy");
      // On schedule: at least two probes for each of a hanging service's (about three).
      assertThat(target.requests("/ok/g" + i))
          .as("probes of healthy %s against %d of each hanging one", name, hangingProbes)
          .isGreaterThanOrEqualTo(2 * hangingProbes - 2);
    }
    assertThat(status.getJsonObject("s0").getString("health")).isEqualTo("unhealthy");
    // The wait for a connection is reported, and no healthy probe timed out waiting.
    JsonObject waits = schedule.getJsonObject("connection_wait");
    assertThat(waits.getLong("count")).isPositive();
    assertThat(waits.getJsonObject("recent").getLong("samples")).isPositive();
    assertThat(waits.getLong("timed_out")).isZero();
  }

  private static OrchestratorConfig fleet(
      List<String> urls, ConnectionMode mode, Duration interval, Duration timeout) {
    // Circuits that never open, so every service is probed at every slot it is free for.
    OrchestratorConfig config =
        TestConfigs.config(urls, interval, timeout, 1_000_000, 2, Duration.ofSeconds(30));
    List<ServiceDefinition> services =
        config.services().stream()
            .map(service -> service.toBuilder().connection(mode).build())
            .toList();
    return config.toBuilder()
        .services(services)
        .runtime(
            config.runtime().toBuilder()
                .connection(mode)
                .connectionMaxAge(Duration.ofSeconds(60))
                .build())
        .build();
  }

  private void countResults() {
    vertx
        .eventBus()
        .<JsonObject>consumer(
            EventBusAddresses.PROBE_RESULTS,
            message -> {
              JsonObject result = message.body();
              String service = result.getString("service");
              if (result.getBoolean("healthy")) {
                healthyResults
                    .computeIfAbsent(service, key -> new AtomicInteger())
                    .incrementAndGet();
              } else {
                failures
                    .computeIfAbsent(
                        service, key -> new java.util.concurrent.CopyOnWriteArrayList<>())
                    .add(result.getString("error_message"));
              }
            });
  }

  private int healthy(String service) {
    AtomicInteger count = healthyResults.get(service);
    return count == null ? 0 : count.get();
  }
}
