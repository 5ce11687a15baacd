package io.extrophi.orchestrator.probe;

import io.extrophi.orchestrator.breaker.BreakerSettings;
import io.extrophi.orchestrator.breaker.ServiceBreaker;
import io.extrophi.orchestrator.bus.BreakerTransition;
import io.extrophi.orchestrator.bus.ProbeResult;
import io.extrophi.orchestrator.bus.StatusEvent;
import io.extrophi.orchestrator.bus.StatusEventBatch;
import io.extrophi.orchestrator.config.BodyCondition;
import io.extrophi.orchestrator.config.ConnectionMode;
import io.extrophi.orchestrator.config.ServiceDefinition;
import io.extrophi.orchestrator.status.StatusBoard;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the probe path a few hundred times against a throwaway loopback listener before the first
 * real probe, so that the first real sample measures the target and not the JVM: on a cold JVM the
 * first probe took 0.65-0.98 s against a target answering in 10 ms (class loading, then the
 * interpreter), which timed out healthy services with a timeout under a second and stayed in the
 * latency percentiles for an hour.
 *
 * <p>It exercises the probe clients (a fresh connection per probe and a reused pooled one), name
 * resolution of {@code localhost}, the capped body reading and the body conditions, the circuit,
 * the monitor and the in-flight cap, the result batch's event-bus codec, and a throwaway {@link
 * StatusBoard} with its JSON encoding. Nothing of it reaches the real status, the state file, the
 * events or the alerts: its services are not configured, its results go to a private local address
 * and a board of its own, and its circuits publish their transitions nowhere.
 *
 * <p>Best effort: if the listener cannot be opened, monitoring starts cold, with a warning.
 */
final class ProbeWarmUp {

  private static final Logger LOG = LoggerFactory.getLogger(ProbeWarmUp.class);

  /**
   * Rounds of four probes: every class of the path is loaded in the first, and the methods that run
   * several times per probe reach the JIT's first compilation threshold (200 invocations) within
   * the rest. More rounds would delay the start for little: the classes are most of the cost.
   */
  static final int ROUNDS = 25;

  /** Where the warm-up's result batches go: a local consumer of its own, nothing else. */
  private static final String ADDRESS = "orchestrator.probe.warm-up";

  /**
   * Longest the warm-up goes on starting new rounds: on a machine so loaded that a round takes
   * seconds, the start is not held back for long; the first round, which loads the classes, always
   * runs.
   */
  static final Duration BUDGET = Duration.ofSeconds(5);

  private static final String BODY = "{\"status\":\"ok\"}";

  /** Long, so that a busy machine fails no warm-up probe (a failure would be logged as such). */
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final Vertx vertx;
  private final ProbeClients client;
  private final int maxBodyBytes;
  private final Clock clock;
  private final List<StatusEvent> events = new ArrayList<>();
  private int probes;

  private ProbeWarmUp(Vertx vertx, ProbeClients client, int maxBodyBytes, Clock clock) {
    this.vertx = vertx;
    this.client = client;
    this.maxBodyBytes = maxBodyBytes;
    this.clock = clock;
  }

  /**
   * Warms the probe path up through {@code client}, the client the real probes use.
   *
   * @return completes (never fails) once the warm-up is over
   */
  static Future<Void> run(Vertx vertx, ProbeClients client, int maxBodyBytes, Clock clock) {
    return new ProbeWarmUp(vertx, client, maxBodyBytes, clock).run();
  }

  private Future<Void> run() {
    long started = System.nanoTime();
    HttpServer server = vertx.createHttpServer().requestHandler(ProbeWarmUp::answer);
    return server
        .listen(0, "localhost")
        .compose(listening -> warmUpAgainst(listening.actualPort()))
        .eventually(server::close)
        .onSuccess(
            done ->
                LOG.info(
                    "probe path warmed up: {} probes against a loopback listener in {} ms",
                    probes,
                    (System.nanoTime() - started) / 1_000_000))
        .recover(
            failure -> {
              LOG.warn(
                  "probe path not warmed up, the first probes may be slow: {}", failure.toString());
              return Future.succeededFuture();
            });
  }

  private static void answer(HttpServerRequest request) {
    if (request.path().equals("/down")) {
      request.response().setStatusCode(503).end();
    } else {
      request.response().putHeader("content-type", "application/json").end(BODY);
    }
  }

  private Future<Void> warmUpAgainst(int port) {
    String base = "http://localhost:" + port;
    List<ServiceDefinition> fleet =
        List.of(
            service("warm-up-get", base + "/health", ServiceDefinition.GET, null),
            service(
                "warm-up-body",
                base + "/health",
                ServiceDefinition.GET,
                new BodyCondition("/status", "ok", "ok", null)),
            service("warm-up-head", base + "/health", ServiceDefinition.HEAD, null),
            // Both connection modes: a fresh connection per probe and a kept-alive pooled one.
            service("warm-up-reuse", base + "/health", ServiceDefinition.GET, null).toBuilder()
                .connection(ConnectionMode.REUSE)
                .build());
    ServiceDefinition downService =
        service("warm-up-down", base + "/down", ServiceDefinition.GET, null);
    // Probed directly rather than through a monitor, which would log every failure as a warning.
    ServiceProbe down = new ServiceProbe(client, downService, maxBodyBytes, clock);
    List<ServiceDefinition> boardFleet = new ArrayList<>(fleet);
    boardFleet.add(downService);
    StatusBoard board = new StatusBoard(boardFleet, 10);
    ProbeLimiter limiter = new ProbeLimiter(fleet.size());
    List<ServiceMonitor> monitors = new ArrayList<>();
    // Far from opening: a circuit that opened would stop probing its service.
    BreakerSettings settings = new BreakerSettings(Integer.MAX_VALUE, 1, TIMEOUT, TIMEOUT);
    for (ServiceDefinition service : fleet) {
      ServiceBreaker breaker =
          new ServiceBreaker(vertx, service.name(), settings, this::collect, clock);
      ServiceProbe probe = new ServiceProbe(client, service, maxBodyBytes, clock);
      monitors.add(new ServiceMonitor(probe, breaker, limiter, this::collect));
    }
    StatusEventBatch.registerCodec(vertx.eventBus());
    MessageConsumer<StatusEventBatch> consumer =
        vertx
            .eventBus()
            .localConsumer(
                ADDRESS,
                message -> {
                  for (StatusEvent event : message.body().events()) {
                    if (event instanceof ProbeResult result) {
                      board.apply(result);
                      result.toEventJson();
                    } else if (event instanceof BreakerTransition transition) {
                      board.apply(transition);
                    }
                  }
                  board.encodedSnapshot(clock.millis());
                  message.reply(null);
                });
    return consumer
        .completion()
        .compose(registered -> rounds(monitors, down, ROUNDS, System.nanoTime() + BUDGET.toNanos()))
        .eventually(
            () -> {
              monitors.forEach(ServiceMonitor::close);
              return consumer.unregister();
            });
  }

  private Future<Void> rounds(
      List<ServiceMonitor> monitors, ServiceProbe down, int left, long giveUpAtNanos) {
    if (left == 0 || (probes > 0 && System.nanoTime() > giveUpAtNanos)) {
      return Future.succeededFuture();
    }
    List<Future<?>> checks = new ArrayList<>();
    for (ServiceMonitor monitor : monitors) {
      checks.add(monitor.check());
    }
    checks.add(down.send().onSuccess(this::collect));
    return Future.join(checks)
        .compose(
            round -> {
              probes += checks.size();
              StatusEventBatch batch = new StatusEventBatch(List.copyOf(events));
              events.clear();
              // A request, not a send: the consumer has had the batch before the next round, and
              // before it is unregistered after the last one.
              return vertx
                  .eventBus()
                  .request(ADDRESS, batch, new DeliveryOptions().setLocalOnly(true))
                  .compose(handled -> rounds(monitors, down, left - 1, giveUpAtNanos));
            });
  }

  private void collect(StatusEvent event) {
    events.add(event);
  }

  private static ServiceDefinition service(
      String name, String url, String method, BodyCondition condition) {
    return ServiceDefinition.builder(name, url)
        .method(method)
        .interval(Duration.ofMinutes(1))
        .timeout(TIMEOUT)
        .headers(Map.of("Accept", "application/json"))
        .bodyCondition(condition)
        .build();
  }
}
