package io.extrophi.orchestrator.testing;

import io.extrophi.orchestrator.config.RuntimeSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * An orchestrator running in this JVM on a services file the test edits on disk (the optional
 * default file, as {@code conf/services.yaml} is, so a missing file is not an error of its own),
 * probing a {@link TargetServer} every second, with its state in a data directory so it can be
 * restarted. Blocking methods, for the test's own thread: the file operations are the scenario.
 *
 * <p>Every status the API answers while {@link #sample sampling} is recorded, so a test can say
 * afterwards what anybody polling the API saw: the built-in default services, a service missing, a
 * count going backwards.
 */
public final class WatchedFleet implements AutoCloseable {

  /** The built-in default services, which must never replace a fleet loaded from a file. */
  public static final Set<String> DEFAULT_NAMES = Set.of("writer", "research", "backend");

  private static final long SAMPLE_MS = 25;

  private final Vertx vertx;
  private final Path servicesFile;
  private final Path dataDir;
  private TargetServer target;
  private InProcessOrchestrator orchestrator;
  private ApiClient api;
  private long sampler = -1;
  private volatile boolean sampling;
  private final List<JsonObject> samples = new CopyOnWriteArrayList<>();

  /**
   * @param servicesFile the file the orchestrator reads and watches (it may be a symbolic link)
   * @param dataDir where it keeps its state
   */
  public WatchedFleet(Vertx vertx, Path servicesFile, Path dataDir) {
    this.vertx = vertx;
    this.servicesFile = servicesFile;
    this.dataDir = dataDir;
    this.target = await(TargetServer.start(vertx));
  }

  /** The YAML of a fleet of services with these names, all probing the target. */
  public String yaml(List<String> names) {
    StringBuilder yaml = new StringBuilder("services:\n");
    for (String name : names) {
      yaml.append("  - name: ").append(name).append("\n    url: ").append(target.url());
      yaml.append("?").append(name).append("\n");
    }
    return yaml.toString();
  }

  /** {@code prefix01} to {@code prefixNN}. */
  public static List<String> names(String prefix, int count) {
    List<String> names = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      names.add(String.format("%s%02d", prefix, i));
    }
    return names;
  }

  /** Starts the orchestrator (again) on the services file as it is now. */
  public void start() {
    orchestrator =
        await(
            InProcessOrchestrator.on(vertx)
                .runtimeDefaults(
                    RuntimeSettings.builder()
                        .servicesFile(servicesFile.toString())
                        .dataDir(dataDir.toString())
                        .build())
                .set("CONFIG_RELOAD_INTERVAL", "0.1")
                .set("HEALTH_CHECK_INTERVAL", "1")
                .set("HEALTH_CHECK_TIMEOUT", "0.5")
                .set("STATE_FLUSH_INTERVAL", "0.2")
                .start());
    api = orchestrator.api();
  }

  /** Stops the orchestrator cleanly (its state written), keeping the target. */
  public void stop() {
    stopSampling();
    if (orchestrator != null) {
      // Closes the API client too.
      await(orchestrator.stop());
      orchestrator = null;
      api = null;
    }
  }

  /**
   * Records every status from now on, one request at a time (so the samples are in the order the
   * orchestrator answered them), {@value #SAMPLE_MS} ms apart.
   */
  public void sample() {
    sampling = true;
    sampleNext(api);
  }

  private void sampleNext(ApiClient client) {
    if (!sampling) {
      return;
    }
    client
        .get("/health/status")
        .onSuccess(response -> samples.add(response.bodyAsJsonObject()))
        .onComplete(done -> sampler = vertx.setTimer(SAMPLE_MS, timer -> sampleNext(client)));
  }

  public void stopSampling() {
    sampling = false;
    vertx.cancelTimer(sampler);
  }

  /** How many samples showed the built-in defaults, and how many lacked one of {@code names}. */
  public String summary(List<String> names) {
    long defaults =
        samples().stream()
            .filter(
                sample ->
                    sample.getJsonObject("services").fieldNames().stream()
                        .anyMatch(DEFAULT_NAMES::contains))
            .count();
    long incomplete =
        samples().stream()
            .filter(sample -> !sample.getJsonObject("services").fieldNames().containsAll(names))
            .count();
    long backwards = anomalies(List.of()).size();
    return samples().size()
        + " samples: "
        + defaults
        + " showing the defaults, "
        + incomplete
        + " with services missing, "
        + backwards
        + " counts going backwards";
  }

  /** The statuses recorded by {@link #sample()}, in order. */
  public List<JsonObject> samples() {
    return List.copyOf(samples);
  }

  /** Waits until {@code GET /health/status} satisfies {@code condition}. */
  public JsonObject statusUntil(Predicate<JsonObject> condition) {
    return await(api.statusUntil(condition));
  }

  /** Waits until every named service has been checked at least {@code checks} times. */
  public JsonObject checkedAtLeast(List<String> names, long checks) {
    return statusUntil(
        status -> names.stream().allMatch(name -> ApiClient.totalChecks(status, name) >= checks));
  }

  public HttpResponse<Buffer> get(String path) {
    return await(api.get(path));
  }

  public HttpResponse<Buffer> post(String path) {
    return await(api.send(HttpMethod.POST, path));
  }

  /**
   * What the samples show that nobody should ever see while the file is edited: a built-in default
   * service, one of {@code alwaysPresent} missing, or a count going backwards; one line each.
   */
  public List<String> anomalies(List<String> alwaysPresent) {
    List<String> found = new ArrayList<>();
    Map<String, Long> highest = new LinkedHashMap<>();
    int index = 0;
    for (JsonObject sample : samples()) {
      Set<String> fleet = sample.getJsonObject("services").fieldNames();
      for (String name : fleet) {
        if (DEFAULT_NAMES.contains(name)) {
          found.add("sample " + index + ": the default service " + name + " is shown");
        }
        long checks = ApiClient.totalChecks(sample, name);
        Long before = highest.get(name);
        if (before != null && checks < before) {
          found.add("sample " + index + ": " + name + " total_checks " + before + " -> " + checks);
        }
        highest.merge(name, checks, Math::max);
      }
      for (String name : alwaysPresent) {
        if (!fleet.contains(name)) {
          found.add("sample " + index + ": " + name + " is missing");
        }
      }
      index++;
    }
    return found;
  }

  @Override
  public void close() {
    stop();
    if (target != null) {
      await(target.close());
      target = null;
    }
  }

  /** {@link Await#await}, for callers that declare no checked exception. */
  public static <T> T await(Future<T> future) {
    try {
      return Await.await(future);
    } catch (Exception e) {
      throw new AssertionError("no answer within " + Await.DEADLINE.toSeconds() + " s: " + e, e);
    }
  }
}
