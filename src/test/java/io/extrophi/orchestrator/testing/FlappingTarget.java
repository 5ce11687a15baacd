package io.extrophi.orchestrator.testing;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.util.Random;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Many services behind one HTTP server on 127.0.0.1: {@code /s/<i>} answers 200 or 503, and each
 * path flips between the two at random (from a seed) every few milliseconds. It counts, per path,
 * every request and every 200 it answered, for comparison with the orchestrator's counts.
 */
public final class FlappingTarget {

  private final HttpServer server;
  private final AtomicIntegerArray requests;
  private final AtomicIntegerArray successes;
  private final boolean[] down;

  private FlappingTarget(HttpServer server, int services) {
    this.server = server;
    this.requests = new AtomicIntegerArray(services);
    this.successes = new AtomicIntegerArray(services);
    this.down = new boolean[services];
  }

  /**
   * @param flipEveryMs how often one random path flips
   */
  public static Future<FlappingTarget> start(
      Vertx vertx, int services, long seed, long flipEveryMs) {
    HttpServer server = vertx.createHttpServer();
    FlappingTarget target = new FlappingTarget(server, services);
    Random random = new Random(seed);
    server.requestHandler(
        request -> {
          int index = Integer.parseInt(request.path().substring(3));
          target.requests.incrementAndGet(index);
          boolean failing;
          synchronized (target.down) {
            failing = target.down[index];
          }
          if (!failing) {
            target.successes.incrementAndGet(index);
          }
          request.response().setStatusCode(failing ? 503 : 200).end();
        });
    vertx.setPeriodic(
        flipEveryMs,
        tick -> {
          synchronized (target.down) {
            int index = random.nextInt(services);
            target.down[index] = !target.down[index];
          }
        });
    return server.listen(0, "127.0.0.1").map(target);
  }

  public String url(int index) {
    return "http://127.0.0.1:" + server.actualPort() + "/s/" + index;
  }

  public int requests(int index) {
    return requests.get(index);
  }

  public int successes(int index) {
    return successes.get(index);
  }
}
