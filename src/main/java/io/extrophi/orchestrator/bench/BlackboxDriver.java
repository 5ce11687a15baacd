package io.extrophi.orchestrator.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

/**
 * Drives prometheus-blackbox-exporter for {@code scripts/bench} the way Prometheus does, one {@code
 * GET /probe?module=http_2xx&target=...} per probe, at a fixed rate over the target's paths {@code
 * /s/0} to {@code /s/N-1}, so that its CPU per probe can be compared with the orchestrator's at the
 * same probe rate against the same target.
 *
 * <p>Run with {@code java -cp target/orchestrator.jar io.extrophi.orchestrator.bench.BlackboxDriver
 * --exporter-port P --target-port T --paths N --rate R --seconds S [--module M] [--target-scheme
 * https]} ({@code http_2xx} and {@code http} by default). It talks to 127.0.0.1 only, stops sending
 * after {@code S} seconds, waits at most 15 s for the answers still out, prints one JSON line
 * ({@code sent}, {@code succeeded}: answers reporting {@code probe_success 1}, {@code failed},
 * {@code first_failure}, {@code rate}) and exits.
 */
public final class BlackboxDriver {

  /** What to drive; see the class comment. */
  record Options(
      int exporterPort,
      int targetPort,
      int paths,
      int rate,
      int seconds,
      String module,
      String scheme) {

    static Options parse(String[] args) {
      Map<String, String> options =
          BenchArgs.options(
              args,
              Set.of(
                  "--exporter-port",
                  "--target-port",
                  "--paths",
                  "--rate",
                  "--seconds",
                  "--module",
                  "--target-scheme"));
      // Every value is checked first, so that a bad one is named even when another is missing.
      Options parsed =
          new Options(
              BenchArgs.number(options, "--exporter-port", 0, 1, 65535),
              BenchArgs.number(options, "--target-port", 0, 1, 65535),
              BenchArgs.number(options, "--paths", 1_000, 1, 1_000_000),
              BenchArgs.number(options, "--rate", 1_000, 1, 100_000),
              BenchArgs.number(options, "--seconds", 10, 1, 3_600),
              options.getOrDefault("--module", "http_2xx"),
              BenchArgs.choice(options, "--target-scheme", "http", Set.of("http", "https")));
      if (!options.containsKey("--exporter-port") || !options.containsKey("--target-port")) {
        throw new IllegalArgumentException("--exporter-port P and --target-port T are required");
      }
      return parsed;
    }
  }

  /** Sends are spread over the second in ticks of this length, as a fleet's scrapes would be. */
  private static final long TICK_MS = 10;

  private static final long ANSWER_TIMEOUT_MS = 10_000;
  private static final long DRAIN_LIMIT_MS = 15_000;

  private final Vertx vertx;
  private final Options options;
  private final WebClient client;
  private long sent;
  private long succeeded;
  private long failed;
  private String firstFailure;
  private long startedAt;

  private BlackboxDriver(Vertx vertx, Options options) {
    this.vertx = vertx;
    this.options = options;
    this.client =
        WebClient.create(
            vertx,
            new WebClientOptions().setKeepAlive(true).setConnectTimeout(5_000),
            new PoolOptions().setHttp1MaxSize(512));
  }

  /** Drives the exporter as {@code options} say; completes with the tally once all are answered. */
  static Future<JsonObject> drive(Vertx vertx, Options options) {
    return new BlackboxDriver(vertx, options).run();
  }

  private Future<JsonObject> run() {
    Promise<JsonObject> done = Promise.promise();
    startedAt = System.nanoTime();
    long ticks = options.seconds() * 1_000L / TICK_MS;
    long[] tick = {0};
    vertx.setPeriodic(
        TICK_MS,
        timer -> {
          tick[0]++;
          // Whole sends due by the end of this tick, so the rate holds for any rate and tick.
          long due = tick[0] * options.rate() * TICK_MS / 1_000;
          while (sent < due) {
            send(sent++);
          }
          if (tick[0] >= ticks) {
            vertx.cancelTimer(timer);
            awaitAnswers(done, System.currentTimeMillis() + DRAIN_LIMIT_MS);
          }
        });
    return done.future().onComplete(finished -> client.close());
  }

  private void send(long number) {
    String target =
        options.scheme()
            + "://"
            + BenchArgs.HOST
            + ":"
            + options.targetPort()
            + "/s/"
            + (number % options.paths());
    String uri =
        "/probe?module="
            + options.module()
            + "&target="
            + URLEncoder.encode(target, StandardCharsets.UTF_8);
    client
        .get(options.exporterPort(), BenchArgs.HOST, uri)
        .timeout(ANSWER_TIMEOUT_MS)
        .send()
        .onComplete(
            answer -> {
              if (answer.succeeded() && reportsSuccess(answer.result())) {
                succeeded++;
              } else {
                failed++;
                if (firstFailure == null) {
                  firstFailure =
                      answer.succeeded()
                          ? "HTTP " + answer.result().statusCode() + " without probe_success 1"
                          : String.valueOf(answer.cause().getMessage());
                }
              }
            });
  }

  private static boolean reportsSuccess(HttpResponse<?> response) {
    String body = response.bodyAsString();
    return response.statusCode() == 200 && body != null && body.contains("\nprobe_success 1");
  }

  private void awaitAnswers(Promise<JsonObject> done, long deadline) {
    if (succeeded + failed >= sent || System.currentTimeMillis() > deadline) {
      double seconds = (System.nanoTime() - startedAt) / 1e9;
      done.complete(
          new JsonObject()
              .put("sent", sent)
              .put("succeeded", succeeded)
              .put("failed", failed + (sent - succeeded - failed))
              .put("first_failure", firstFailure)
              .put("rate", Math.round(sent / Math.max(seconds, 1e-9))));
      return;
    }
    vertx.setTimer(20, id -> awaitAnswers(done, deadline));
  }

  public static void main(String[] args) {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("BlackboxDriver: " + e.getMessage());
      System.exit(2);
      return;
    }
    Vertx vertx = Vertx.vertx();
    drive(vertx, options)
        .onComplete(
            tally -> {
              if (tally.succeeded()) {
                System.out.println(tally.result().encode());
              } else {
                System.err.println("BlackboxDriver: " + tally.cause().getMessage());
              }
              vertx.close().onComplete(closed -> System.exit(tally.succeeded() ? 0 : 1));
            });
  }
}
