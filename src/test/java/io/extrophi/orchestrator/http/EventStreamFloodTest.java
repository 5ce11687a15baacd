package io.extrophi.orchestrator.http;

import static io.extrophi.orchestrator.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.testing.NeverReadingClient;
import io.extrophi.orchestrator.testing.NodeProcess;
import io.extrophi.orchestrator.testing.PrometheusText;
import io.extrophi.orchestrator.testing.SoakTest;
import io.extrophi.orchestrator.testing.TargetServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Five hundred event-stream clients that never read, against a real process run with the shipped
 * JVM options (384 MB heap) and 300 services: what they pin stays within the configured budget,
 * probing goes on, the status is answered, nothing runs out of memory, and everything is back to
 * normal once they leave. (Without the budgets this process died of an OutOfMemoryError within half
 * a minute; {@code scripts/stream-flood} prints the figures.)
 */
@ExtendWith(VertxExtension.class)
@SoakTest
class EventStreamFloodTest {

  private static final int SERVICES = 300;
  private static final int CLIENTS = 500;
  private static final long TOTAL_BUDGET = 16L * 1024 * 1024;
  private static final long DEADLINE_MS = 120_000;

  @TempDir Path dir;

  private final List<Socket> clients = new ArrayList<>();
  private NodeProcess node;

  @BeforeEach
  void startTheFleet(Vertx vertx) throws Exception {
    TargetServer target = await(TargetServer.start(vertx));
    StringBuilder services = new StringBuilder("services:\n");
    for (int i = 0; i < SERVICES; i++) {
      services.append("  - name: s").append(i).append("\n    url: ").append(target.url());
      services.append("?s=").append(i).append('\n');
    }
    Path servicesFile = Files.writeString(dir.resolve("services.yaml"), services.toString());
    int port = NodeProcess.freePort();
    node =
        NodeProcess.orchestratorAsShipped(
            "flooded",
            dir.resolve("node"),
            port,
            Map.of(
                "HTTP_HOST", "127.0.0.1",
                "HTTP_PORT", String.valueOf(port),
                "SERVICES_FILE", servicesFile.toString(),
                "HEALTH_CHECK_INTERVAL", "1",
                "DATA_DIR", "none",
                "EVENT_STREAM_TOTAL_BUFFER_BYTES", String.valueOf(TOTAL_BUDGET),
                "EVENT_STREAM_MAX_CLIENTS", String.valueOf(CLIENTS)));
  }

  @AfterEach
  void stop() throws Exception {
    closeClients();
    if (node != null) {
      node.stop();
    }
  }

  @Test
  void neverReadingClientsPinNoMoreThanTheBudgetAndCostNoProbes() throws Exception {
    long startedAt = System.nanoTime();
    long before = checks(awaitEveryServiceChecked());
    phase("every service checked", startedAt);

    for (int i = 0; i < CLIENTS; i++) {
      clients.add(NeverReadingClient.open(node.httpPort(), "/health/events?refresh=1"));
    }
    // The budget bites: the clients furthest behind are disconnected rather than queued for.
    List<Double> queued = new ArrayList<>();
    awaitMetric(
        metrics -> {
          queued.add(metrics.value("orchestrator_event_stream_queued_bytes", Map.of()));
          return metrics.value("orchestrator_event_stream_slow_disconnects_total", Map.of()) > 0;
        },
        "a client disconnected over the budget");
    phase("a client disconnected over the budget", startedAt);
    // Probing goes on under the flood: two more rounds of every service, counted while the
    // clients still hold their connections.
    long during = checks(awaitChecksBeyond(before + 2L * SERVICES));
    phase("two rounds under the flood", startedAt);
    assertThat(during).isGreaterThanOrEqualTo(before + 2L * SERVICES);
    awaitMetric(
        metrics -> {
          queued.add(metrics.value("orchestrator_event_stream_queued_bytes", Map.of()));
          return true;
        },
        "the metrics under the flood");
    assertThat(queued)
        .as("bytes queued for the stream clients, sampled under the flood")
        .allSatisfy(bytes -> assertThat(bytes).isLessThanOrEqualTo((double) TOTAL_BUDGET));

    closeClients();
    // Back to normal: no stream left, nothing queued, and probing and the status as before.
    awaitMetric(
        metrics ->
            metrics.value("orchestrator_event_stream_clients", Map.of()) == 0
                && metrics.value("orchestrator_event_stream_queued_bytes", Map.of()) == 0,
        "no stream client and nothing queued after the clients left");
    phase("recovered", startedAt);
    awaitChecksBeyond(during + SERVICES);
    assertThat(node.isAlive()).isTrue();
    assertThat(node.stdout() + node.stderr()).doesNotContain("OutOfMemoryError");
  }

  private void closeClients() {
    for (Socket client : clients) {
      try {
        client.close();
      } catch (IOException alreadyGone) {
        // Disconnected by the server: nothing to close.
      }
    }
    clients.clear();
  }

  private JsonObject awaitEveryServiceChecked() throws Exception {
    return node.await(
        "/health/status",
        status ->
            status.getJsonObject("services").size() == SERVICES
                && status.getJsonObject("services").stream()
                    .allMatch(e -> ((JsonObject) e.getValue()).getLong("total_checks") > 0),
        DEADLINE_MS,
        "every service checked once");
  }

  private JsonObject awaitChecksBeyond(long total) throws Exception {
    return node.await(
        "/health/status", status -> checks(status) >= total, DEADLINE_MS, total + " checks");
  }

  private void awaitMetric(MetricsCondition condition, String what) throws Exception {
    long giveUpAt = System.currentTimeMillis() + DEADLINE_MS;
    while (System.currentTimeMillis() < giveUpAt && node.isAlive()) {
      try {
        if (condition.holds(node.metrics())) {
          return;
        }
      } catch (IOException notAnsweredNow) {
        // A scrape can time out under the flood; the next one is judged.
      }
      TimeUnit.MILLISECONDS.sleep(200);
    }
    throw new AssertionError(
        what
            + " not seen; process alive: "
            + node.isAlive()
            + "\n"
            + NodeProcess.tail(node.stdout()));
  }

  /** Printed, never judged: how long each phase took depends on how busy the machine is. */
  private static void phase(String what, long startedAt) {
    System.out.printf(
        "stream flood: %s after %d ms%n",
        what, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt));
  }

  private static long checks(JsonObject status) {
    return status.getJsonObject("services").stream()
        .mapToLong(e -> ((JsonObject) e.getValue()).getLong("total_checks"))
        .sum();
  }

  @FunctionalInterface
  private interface MetricsCondition {
    boolean holds(PrometheusText metrics);
  }
}
