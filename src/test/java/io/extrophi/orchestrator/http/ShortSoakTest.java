package io.extrophi.orchestrator.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.MainVerticle;
import io.extrophi.orchestrator.config.source.ConfigSources;
import io.extrophi.orchestrator.testing.ApiContract;
import io.extrophi.orchestrator.testing.Await;
import io.extrophi.orchestrator.testing.FlappingTarget;
import io.extrophi.orchestrator.testing.SoakTest;
import io.vertx.core.Vertx;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shortened variant of {@code scripts/soak}: 200 flapping services at 100 ms with the state
 * written ten times a second, triggers and status queries in parallel, 10 s of warm-up and 15 s
 * observed; file descriptors, threads and heap after GC do not grow, every answer is one the API
 * documents, and the service still answers at the end.
 *
 * <p>Only correctness is asserted: how many requests were answered, and how fast, depends on how
 * busy the machine is, so those figures are printed here and judged by {@code scripts/soak}.
 */
@SoakTest
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
  void nothingGrowsEveryAnswerIsDocumentedAndTheServiceSurvives() throws Exception {
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
    Tally tally = new Tally();

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
                    endAt,
                    tally));
    Thread queries =
        new Thread(() -> drive(client, HttpRequest.newBuilder(status).GET(), 20, endAt, tally));
    triggers.start();
    queries.start();
    TimeUnit.MILLISECONDS.sleep(Math.max(0, warmUpUntil - System.currentTimeMillis()));
    Sample start = Sample.take();
    triggers.join();
    queries.join();
    Sample end = Sample.take();

    System.out.printf(
        "short soak: %d answers (%d of them 503, too busy to answer in time), %d requests"
            + " unanswered within 10 s%n",
        tally.answered.get(), tally.busy.get(), tally.unanswered.get());
    assertThat(tally.malformed).as("answers the API does not document").isEmpty();
    assertThat(tally.answered.get()).as("answered requests").isPositive();
    // The service survived the load: it still answers, however long that takes.
    HttpResponse<String> after =
        client.send(
            HttpRequest.newBuilder(status).timeout(Duration.ofSeconds(60)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(ApiContract.validated(after).statusCode()).isEqualTo(200);
    // A probe's connection lives until its answer or its timeout, so the descriptors open at any
    // instant include the probes in flight; what grew is what the end has beyond the start and
    // still holds once those probes are over (each new probe opens a new descriptor).
    try {
      Await.until(() -> end.descriptorsGrownSince(start).size() <= 10, 30_000);
    } catch (AssertionError stillOpen) {
      // Judged, with the descriptors named, below.
    }
    assertThat(end.descriptorsGrownSince(start))
        .as("file descriptors opened during the run and still open after it")
        .hasSizeLessThanOrEqualTo(10);
    assertThat(end.threads()).as("threads").isLessThanOrEqualTo(start.threads() + 3);
    assertThat(end.heapMb())
        .as("heap after GC (MB)")
        .isLessThanOrEqualTo(start.heapMb() * 1.5 + 20);
  }

  /** What the load drivers saw; the figures are printed, only the malformed answers fail. */
  private static final class Tally {
    final AtomicInteger answered = new AtomicInteger();
    final AtomicInteger busy = new AtomicInteger();
    final AtomicInteger unanswered = new AtomicInteger();
    final List<String> malformed = new CopyOnWriteArrayList<>();
  }

  private static void drive(
      HttpClient client, HttpRequest.Builder request, long everyMs, long endAt, Tally tally) {
    HttpRequest built = request.timeout(Duration.ofSeconds(10)).build();
    while (System.currentTimeMillis() < endAt) {
      try {
        HttpResponse<String> response = client.send(built, HttpResponse.BodyHandlers.ofString());
        tally.answered.incrementAndGet();
        // 503 is the documented answer of a process too busy to get the answer in time: on a
        // loaded machine that is the truth, not a defect.
        if (response.statusCode() == 503) {
          tally.busy.incrementAndGet();
        } else if (response.statusCode() != 200) {
          tally.malformed.add(built.uri() + " answered " + response.statusCode());
        }
        ApiContract.validated(response);
      } catch (AssertionError violation) {
        // Thrown, it would end the thread unseen.
        tally.malformed.add(violation.getMessage());
      } catch (IOException unanswered) {
        // A timeout or a refused connection under load: counted and printed, not judged here.
        tally.unanswered.incrementAndGet();
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
        return;
      }
      try {
        TimeUnit.MILLISECONDS.sleep(everyMs);
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * @param fileDescriptors each open descriptor as "number -> target" (a socket's target names its
   *     inode, so a reused number is a different entry)
   */
  private record Sample(Set<String> fileDescriptors, int threads, double heapMb) {
    static Sample take() {
      System.gc();
      return new Sample(
          openDescriptors(),
          ManagementFactory.getThreadMXBean().getThreadCount(),
          ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1_048_576.0);
    }

    /** The descriptors of this sample that {@code before} did not have and that are still open. */
    Set<String> descriptorsGrownSince(Sample before) {
      Set<String> grown = new TreeSet<>(fileDescriptors);
      grown.removeAll(before.fileDescriptors);
      grown.retainAll(openDescriptors());
      return grown;
    }

    private static Set<String> openDescriptors() {
      Set<String> open = new HashSet<>();
      String[] numbers = new File("/proc/self/fd").list();
      for (String number : numbers == null ? new String[0] : numbers) {
        try {
          open.add(number + " -> " + Files.readSymbolicLink(Path.of("/proc/self/fd", number)));
        } catch (IOException closedMeanwhile) {
          // Closed between the listing and the read: not open.
        }
      }
      return open;
    }
  }
}
