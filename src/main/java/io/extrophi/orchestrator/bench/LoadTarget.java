package io.extrophi.orchestrator.bench;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * A small, fast multi-path HTTP target for {@code scripts/bench}: it answers every probe and counts
 * them, so the benchmark can check the checks the orchestrator reports against the requests that
 * really arrived.
 *
 * <ul>
 *   <li>{@code GET /count}: {@code {"requests": N}}, the requests served since start or the last
 *       reset, not counting the control paths {@code /count}, {@code /reset} and {@code /toggle}
 *   <li>{@code /reset}: sets the count to 0 and brings every toggled path back up
 *   <li>{@code /toggle?path=/s/3}: switches that path between up and down; answers {@code {"path":
 *       "/s/3", "down": true}}
 *   <li>{@code GET /count/documents}: {@code {"requests": N}}, the requests served on {@code
 *       /spring/...} alone (counted in {@code /count} too)
 *   <li>{@code /down/...} and every toggled path: 503 {@code {"status":"down"}} (counted)
 *   <li>{@code /spring/...}: 200 with the 2 KB Spring Boot Actuator document of {@link
 *       ActuatorDocument}, every indicator up (counted)
 *   <li>any other path: 200 {@code {"status":"ok"}} (counted)
 * </ul>
 *
 * <p>Run with {@code java -cp target/orchestrator.jar io.extrophi.orchestrator.bench.LoadTarget
 * --port P [--event-loops E] [--addresses N] [--tls-cert C --tls-key K]}. It binds 127.0.0.1 (to
 * 127.0.0.N with {@code --addresses N}) only, serves HTTPS with the certificate given, and prints
 * {@code LoadTarget listening on ... port PORT} once ready.
 */
public final class LoadTarget {

  private static final String OK = "{\"status\":\"ok\"}";
  private static final String DOWN = "{\"status\":\"down\"}";

  // A LongAdder and a concurrent set, because with several event loops the server handlers run on
  // several threads at once; the adder keeps the hot path free of a contended counter.
  private final LongAdder served = new LongAdder();
  private final LongAdder documentsServed = new LongAdder();
  private final Set<String> downPaths = ConcurrentHashMap.newKeySet();

  /** Requests served since start or the last reset, control paths excluded. */
  public long served() {
    return served.sum();
  }

  /**
   * Starts {@code instances} servers sharing one port, each in a verticle of its own (Vert.x shares
   * a listening socket only between verticle instances and spreads connections over their event
   * loops), all answering through this target's count and down paths.
   *
   * @param port the port to bind on 127.0.0.1; {@code 0} picks a free one (shared by all)
   * @return the port in use
   */
  public Future<Integer> listen(Vertx vertx, int port, int instances) {
    return listen(vertx, port, instances, List.of(BenchArgs.HOST), null);
  }

  /**
   * As {@link #listen(Vertx, int, int)}, on every address of {@code hosts} (all loopback, each
   * bound explicitly) and over HTTPS when {@code tls} is given.
   *
   * @param port the port to bind on every address; {@code 0} picks a free one on the first address
   *     and the others use the same
   * @param tls the certificate and key to serve HTTPS with, or {@code null} for plain HTTP
   */
  public Future<Integer> listen(
      Vertx vertx, int port, int instances, List<String> hosts, PemKeyCertOptions tls) {
    AtomicInteger actualPort = new AtomicInteger();
    HttpServerOptions options = new HttpServerOptions();
    if (tls != null) {
      options.setSsl(true).setKeyCertOptions(tls);
      // The server's half of every handshake in BoringSSL when it loads: with the JDK's it took
      // most of a core at 1,000 handshakes a second, and the probers measured beside it starved.
      if (OpenSSLEngineOptions.isAvailable()) {
        options.setSslEngineOptions(new OpenSSLEngineOptions());
      }
    }
    return vertx
        .deployVerticle(
            () ->
                new VerticleBase() {
                  @Override
                  public Future<?> start() {
                    Future<Integer> bound = bind(hosts.get(0), port);
                    for (String host : hosts.subList(1, hosts.size())) {
                      bound = bound.compose(first -> bind(host, first).map(first));
                    }
                    return bound.onSuccess(actualPort::set);
                  }

                  private Future<Integer> bind(String host, int onPort) {
                    return vertx
                        .createHttpServer(options)
                        .requestHandler(LoadTarget.this::handle)
                        .listen(onPort, host)
                        .map(server -> server.actualPort());
                  }
                },
            new DeploymentOptions().setInstances(instances))
        .map(deployment -> actualPort.get());
  }

  void handle(HttpServerRequest request) {
    String path = request.path();
    switch (path) {
      case "/count" -> json(request, 200, new JsonObject().put("requests", served()).encode());
      case "/count/documents" ->
          json(request, 200, new JsonObject().put("requests", documentsServed.sum()).encode());
      case "/reset" -> {
        served.reset();
        documentsServed.reset();
        downPaths.clear();
        json(request, 200, new JsonObject().put("requests", 0).encode());
      }
      case "/toggle" -> toggle(request);
      default -> {
        served.increment();
        if (path.startsWith("/spring/")) {
          documentsServed.increment();
          answer(request, 200, ActuatorDocument.MEDIA_TYPE, ActuatorDocument.BODY);
          return;
        }
        boolean down = path.startsWith("/down/") || downPaths.contains(path);
        json(request, down ? 503 : 200, down ? DOWN : OK);
      }
    }
  }

  private void toggle(HttpServerRequest request) {
    String path = request.getParam("path");
    if (path == null || !path.startsWith("/")) {
      json(request, 400, new JsonObject().put("error", "path=/... is required").encode());
      return;
    }
    // A path that was up is added (now down); one that was already down is removed (now up).
    boolean down = downPaths.add(path) || !downPaths.remove(path);
    json(request, 200, new JsonObject().put("path", path).put("down", down).encode());
  }

  private static void json(HttpServerRequest request, int status, String body) {
    answer(request, status, "application/json", body);
  }

  private static void answer(
      HttpServerRequest request, int status, String contentType, String body) {
    request.response().setStatusCode(status).putHeader("content-type", contentType).end(body);
  }

  /**
   * Starts the target. Options: {@code --port P} (required), {@code --event-loops E} (default 2:
   * enough to keep up with 10,000 probes/s without taking both cores from the orchestrator).
   */
  public static void main(String[] args) {
    BenchArgs options;
    try {
      options = BenchArgs.parse(args, 2);
    } catch (IllegalArgumentException e) {
      System.err.println("LoadTarget: " + e.getMessage());
      System.exit(2);
      return;
    }
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(options.eventLoops()));
    PemKeyCertOptions tls =
        options.tls()
            ? new PemKeyCertOptions().setCertPath(options.tlsCert()).setKeyPath(options.tlsKey())
            : null;
    new LoadTarget()
        .listen(vertx, options.port(), options.eventLoops(), options.hosts(), tls)
        .onSuccess(
            port ->
                System.out.println(
                    "LoadTarget listening on "
                        + String.join(", ", options.hosts())
                        + " port "
                        + port
                        + (tls != null ? " (HTTPS)" : "")))
        .onFailure(
            failure -> {
              System.err.println("LoadTarget: " + failure.getMessage());
              System.exit(3);
            });
  }
}
