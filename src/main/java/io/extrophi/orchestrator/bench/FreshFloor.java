package io.extrophi.orchestrator.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.Set;

/**
 * The floor under a fresh-connection probe, for {@code scripts/bench --fresh}: a bare Vert.x {@code
 * WebClient} with {@code keepAlive=false} (a new connection, and over HTTPS a new handshake, per
 * request) sending {@code GET /s/N} at a fixed rate, with nothing else in the process. Its CPU per
 * request is what any Vert.x prober pays at least; the orchestrator's fresh probe is compared with
 * it.
 *
 * <p>Run with {@code java -cp target/orchestrator.jar io.extrophi.orchestrator.bench.FreshFloor
 * --target-port T [--paths N] [--rate R] [--warmup W] [--seconds S] [--ca-file PEM] [--engine
 * jdk|openssl]}: over HTTPS to 127.0.0.1 when {@code --ca-file} is given (trusting that
 * certificate, the host verified). After {@code W} seconds of warm-up it measures its own CPU for
 * {@code S} seconds and prints one JSON line ({@code sent}, {@code succeeded}, {@code failed},
 * {@code first_failure}, {@code rate}, {@code cpu_us_per_request}, {@code engine}) and exits.
 */
public final class FreshFloor {

  record Options(
      int targetPort, int paths, int rate, int warmup, int seconds, String caFile, String engine) {

    static Options parse(String[] args) {
      Map<String, String> options =
          BenchArgs.options(
              args,
              Set.of(
                  "--target-port",
                  "--paths",
                  "--rate",
                  "--warmup",
                  "--seconds",
                  "--ca-file",
                  "--engine"));
      // Every value is checked first, so that a bad one is named even when another is missing.
      Options parsed =
          new Options(
              BenchArgs.number(options, "--target-port", 0, 1, 65535),
              BenchArgs.number(options, "--paths", 1_000, 1, 1_000_000),
              BenchArgs.number(options, "--rate", 1_000, 1, 100_000),
              BenchArgs.number(options, "--warmup", 10, 0, 3_600),
              BenchArgs.number(options, "--seconds", 30, 1, 3_600),
              options.get("--ca-file"),
              BenchArgs.choice(options, "--engine", "jdk", Set.of("jdk", "openssl")));
      if (!options.containsKey("--target-port")) {
        throw new IllegalArgumentException("--target-port T is required");
      }
      return parsed;
    }
  }

  private static final long TICK_MS = 10;
  private static final int TIMEOUT_MS = 5_000;
  private static final int MAX_CONNECTIONS = 200;

  private final Vertx vertx;
  private final Options options;
  private final WebClient client;
  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private long sent;
  private long succeeded;
  private long failed;
  private String firstFailure;

  private FreshFloor(Vertx vertx, Options options) {
    this.vertx = vertx;
    this.options = options;
    WebClientOptions client =
        new WebClientOptions().setKeepAlive(false).setConnectTimeout(TIMEOUT_MS);
    if (options.caFile() != null) {
      client
          .setSsl(true)
          .setVerifyHost(true)
          .setTrustOptions(new PemTrustOptions().addCertPath(options.caFile()))
          .setSslEngineOptions(
              options.engine().equals("openssl")
                  ? new OpenSSLEngineOptions()
                  : new JdkSSLEngineOptions());
    }
    // Connections at once: Vert.x's default of 5 made TLS probes queue behind slow handshakes
    // (the JIT still cold) until they timed out; the orchestrator's own cap is far larger.
    this.client =
        WebClient.create(vertx, client, new PoolOptions().setHttp1MaxSize(MAX_CONNECTIONS));
  }

  static Future<JsonObject> drive(Vertx vertx, Options options) {
    return new FreshFloor(vertx, options).run();
  }

  private Future<JsonObject> run() {
    Promise<JsonObject> done = Promise.promise();
    long warmupTicks = options.warmup() * 1_000L / TICK_MS;
    long ticks = warmupTicks + options.seconds() * 1_000L / TICK_MS;
    long[] tick = {0};
    // At the end of the warm-up: requests answered and CPU used so far.
    long[] mark = new long[3];
    vertx.setPeriodic(
        TICK_MS,
        timer -> {
          if (tick[0] == warmupTicks) {
            mark[0] = succeeded;
            mark[1] = os.getProcessCpuTime();
            mark[2] = System.nanoTime();
          }
          tick[0]++;
          long due = tick[0] * options.rate() * TICK_MS / 1_000;
          while (sent < due) {
            send(sent++);
          }
          if (tick[0] >= ticks) {
            vertx.cancelTimer(timer);
            long windowSucceeded = succeeded - mark[0];
            long cpuNs = os.getProcessCpuTime() - mark[1];
            double seconds = (System.nanoTime() - mark[2]) / 1e9;
            vertx.setTimer(
                TIMEOUT_MS + 500L,
                drained ->
                    done.complete(
                        new JsonObject()
                            .put("sent", sent)
                            .put("succeeded", succeeded)
                            .put("failed", sent - succeeded)
                            .put("first_failure", firstFailure)
                            .put("rate", Math.round(windowSucceeded / seconds))
                            .put(
                                "cpu_us_per_request",
                                Math.round(cpuNs / 100.0 / Math.max(1, windowSucceeded)) / 10.0)
                            .put("engine", options.caFile() == null ? "none" : options.engine())));
          }
        });
    return done.future().onComplete(finished -> client.close());
  }

  private void send(long number) {
    client
        .get(options.targetPort(), BenchArgs.HOST, "/s/" + (number % options.paths()))
        .timeout(TIMEOUT_MS)
        .send()
        .onComplete(
            answer -> {
              if (answer.succeeded() && answer.result().statusCode() == 200) {
                succeeded++;
              } else {
                failed++;
                if (firstFailure == null) {
                  firstFailure =
                      answer.succeeded()
                          ? "HTTP " + answer.result().statusCode()
                          : String.valueOf(answer.cause());
                }
              }
            });
  }

  public static void main(String[] args) {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("FreshFloor: " + e.getMessage());
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
                System.err.println("FreshFloor: " + tally.cause().getMessage());
              }
              vertx.close().onComplete(closed -> System.exit(tally.succeeded() ? 0 : 1));
            });
  }
}
