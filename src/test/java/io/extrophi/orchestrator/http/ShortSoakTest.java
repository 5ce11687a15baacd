package io.extrophi.orchestrator.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.MainVerticle;
import io.extrophi.orchestrator.config.ConfigSources;
import io.extrophi.orchestrator.testing.ApiContract;
import io.extrophi.orchestrator.testing.FlappingTarget;
import io.vertx.core.Vertx;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shortened variant of {@code scripts/soak}: 200 flapping services at 100 ms with the state
 * written ten times a second, triggers and status queries in parallel, 10 s of warm-up and 15 s
 * measured; file descriptors, threads and heap after GC do not grow, and no query or trigger fails.
 */
class ShortSoakTest {

  private static final int SERVICES = 200;
  private static final long RUN_MS = 15_000;

  @TempDir Path dir;

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void nothingGrowsAndNothingFails() throws Exception {
    FlappingTarget target =
        FlappingTarget.start(vertx, SERVICES, 7L, 10)
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    StringBuilder services = new StringBuilder("services:\n");
    for (int i = 0; i < SERVICES; i++) {
      services
          .append("  - name: s")
          .append(i)
          .append("\n    url: ")
          .append(target.url(i))
          .append('\n');
    }
    Path servicesFile = Files.writeString(dir.resolve("services.yaml"), services.toString());
    MainVerticle main =
        new MainVerticle(
            ConfigSources.none()
                .withEnvironment(
                    Map.of(
                        "HTTP_HOST", "127.0.0.1",
                        "HTTP_PORT", "0",
                        "SERVICES_FILE", servicesFile.toString(),
                        "HEALTH_CHECK_INTERVAL", "0.1",
                        "HEALTH_CHECK_TIMEOUT", "2",
                        "CIRCUIT_BREAKER_RESET_TIMEOUT", "0.5",
                        "TRIGGER_MIN_GAP", "0.2",
                        "DATA_DIR", dir.resolve("data").toString(),
                        "STATE_FLUSH_INTERVAL", "0.1")),
            false,
            false);
    vertx.deployVerticle(main).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    HttpClient client = HttpClient.newHttpClient();
    URI status = URI.create("http://127.0.0.1:" + main.httpPort() + "/health/status");
    URI trigger = URI.create("http://127.0.0.1:" + main.httpPort() + "/health/trigger");
    AtomicInteger failures = new AtomicInteger();
    AtomicInteger requests = new AtomicInteger();

    // The warm-up runs the same load, so pool threads started on demand (Vert.x starts a worker
    // per state write until its pool is full) exist before the first sample.
    long warmUpUntil = System.currentTimeMillis() + 10_000;
    long endAt = warmUpUntil + RUN_MS;
    Thread triggers =
        new Thread(
            () ->
                drive(
                    client,
                    HttpRequest.newBuilder(trigger).POST(HttpRequest.BodyPublishers.noBody()),
                    200,
                    warmUpUntil,
                    endAt,
                    failures,
                    requests));
    Thread queries =
        new Thread(
            () ->
                drive(
                    client,
                    HttpRequest.newBuilder(status).GET(),
                    20,
                    warmUpUntil,
                    endAt,
                    failures,
                    requests));
    triggers.start();
    queries.start();
    TimeUnit.MILLISECONDS.sleep(Math.max(0, warmUpUntil - System.currentTimeMillis()));
    Sample start = Sample.take();
    triggers.join();
    queries.join();
    Sample end = Sample.take();

    assertThat(failures.get()).as("failed queries and triggers of %d", requests.get()).isZero();
    assertThat(requests.get()).isGreaterThan(500);
    assertThat(end.fileDescriptors())
        .as("file descriptors")
        .isLessThanOrEqualTo(start.fileDescriptors() + 10);
    assertThat(end.threads()).as("threads").isLessThanOrEqualTo(start.threads() + 3);
    assertThat(end.heapMb())
        .as("heap after GC (MB)")
        .isLessThanOrEqualTo(start.heapMb() * 1.5 + 20);
  }

  private static void drive(
      HttpClient client,
      HttpRequest.Builder request,
      long everyMs,
      long validateUntil,
      long endAt,
      AtomicInteger failures,
      AtomicInteger requests) {
    HttpRequest built = request.timeout(Duration.ofSeconds(10)).build();
    while (System.currentTimeMillis() < endAt) {
      try {
        HttpResponse<String> response = client.send(built, HttpResponse.BodyHandlers.ofString());
        requests.incrementAndGet();
        if (response.statusCode() != 200) {
          failures.incrementAndGet();
        }
        // Validated while warming up only: in the measured time the validator's CPU and garbage
        // (a 200-service body takes tens of milliseconds) would be the load being measured.
        if (System.currentTimeMillis() < validateUntil) {
          ApiContract.validated(response);
        }
        TimeUnit.MILLISECONDS.sleep(everyMs);
      } catch (AssertionError violation) {
        // A contract violation counts as a failure; thrown, it would end the thread unseen.
        failures.incrementAndGet();
        System.err.println(violation.getMessage());
      } catch (Exception failed) {
        failures.incrementAndGet();
      }
    }
  }

  private record Sample(int fileDescriptors, int threads, double heapMb) {
    static Sample take() {
      System.gc();
      String[] fds = new File("/proc/self/fd").list();
      return new Sample(
          fds == null ? 0 : fds.length,
          ManagementFactory.getThreadMXBean().getThreadCount(),
          ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1_048_576.0);
    }
  }
}
