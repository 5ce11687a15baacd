package io.extrophi.orchestrator.cluster;

import io.extrophi.orchestrator.bus.BreakerTransition;
import io.extrophi.orchestrator.bus.EventBusAddresses;
import io.extrophi.orchestrator.bus.HealthTransition;
import io.extrophi.orchestrator.config.InvalidConfigException;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.PrintStream;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * An example subscriber: joins the orchestrators' cluster (as a Hazelcast lite member, so it holds
 * no cluster data and probes nothing) and prints every health transition, and with {@code
 * --circuits} every circuit transition, as it happens:
 *
 * <pre>
 * 2026-11-30T20:36:43.596Z health backend: healthy -> unhealthy (connection refused)
 * </pre>
 *
 * <p>It reads the same {@code CLUSTER_*} variables as the orchestrator ({@code scripts/subscribe}
 * runs it). With {@code --json} it prints each message's JSON instead. A subscriber of your own
 * needs only Vert.x, a cluster manager and the addresses and shapes in the README.
 */
public final class TransitionSubscriber {

  private TransitionSubscriber() {}

  public static void main(String[] args) {
    boolean json = Arrays.asList(args).contains("--json");
    boolean circuits = Arrays.asList(args).contains("--circuits");
    ClusterSettings settings;
    try {
      settings = ClusterSettings.from(System.getenv(), Map.of());
    } catch (InvalidConfigException invalid) {
      System.err.println("subscriber: " + invalid.getMessage());
      System.exit(2);
      return;
    }
    HazelcastClusterManager manager =
        HazelcastSetup.clusterManager(settings, HazelcastSetup.SUBSCRIBER_ROLE);
    PrintStream out = System.out;
    Vertx vertx =
        Vertx.builder()
            .withClusterManager(manager)
            .buildClustered()
            .toCompletionStage()
            .toCompletableFuture()
            .join();
    vertx
        .eventBus()
        .<JsonObject>consumer(
            EventBusAddresses.HEALTH_TRANSITIONS,
            message ->
                out.println(
                    json
                        ? message.body().encode()
                        : line(
                            HealthTransition.fromJson(message.body()).describe(), message.body())))
        .completion()
        .toCompletionStage()
        .toCompletableFuture()
        .join();
    if (circuits) {
      vertx
          .eventBus()
          .<JsonObject>consumer(
              EventBusAddresses.BREAKER_TRANSITIONS,
              message ->
                  out.println(
                      json
                          ? message.body().encode()
                          : line(
                              BreakerTransition.fromJson(message.body()).describe(),
                              message.body())));
    }
    out.println(
        "subscribed to "
            + EventBusAddresses.HEALTH_TRANSITIONS
            + (circuits ? " and " + EventBusAddresses.BREAKER_TRANSITIONS : "")
            + " in cluster "
            + settings.name());
    out.flush();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  vertx.close().onComplete(closed -> stopped.countDown());
                  try {
                    stopped.await(10, TimeUnit.SECONDS);
                  } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                  }
                }));
    // The main thread is free to end: Vert.x's threads keep the process alive until SIGTERM.
  }

  private static String line(String description, JsonObject body) {
    String at = body.getString("at");
    return (at == null ? Instant.now().toString() : at) + " " + description;
  }
}
