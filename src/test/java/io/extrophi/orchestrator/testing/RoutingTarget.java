package io.extrophi.orchestrator.testing;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One HTTP server on 127.0.0.1 with many services behind it, told apart by path, as behind an
 * ingress or API gateway. The first path segment chooses the behaviour:
 *
 * <ul>
 *   <li>{@code /ok/…} answers 200 at once;
 *   <li>{@code /slow/…} answers 200 after {@link #SLOW_MS} ms;
 *   <li>{@code /hang/…} never answers (until the client gives up).
 * </ul>
 *
 * It counts the requests received per path and the connections accepted.
 */
public final class RoutingTarget {

  /** How long {@code /slow/…} takes to answer. */
  public static final long SLOW_MS = 200;

  private final Vertx vertx;
  private final Map<String, AtomicInteger> requestsByPath = new ConcurrentHashMap<>();
  private final AtomicInteger connections = new AtomicInteger();
  private HttpServer server;

  private RoutingTarget(Vertx vertx) {
    this.vertx = vertx;
  }

  public static Future<RoutingTarget> start(Vertx vertx) {
    RoutingTarget target = new RoutingTarget(vertx);
    return target.listen().map(target);
  }

  private Future<HttpServer> listen() {
    return vertx
        .createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
        .connectionHandler(connection -> connections.incrementAndGet())
        .requestHandler(
            request -> {
              String path = request.path();
              requestsByPath.computeIfAbsent(path, key -> new AtomicInteger()).incrementAndGet();
              if (path.startsWith("/hang/")) {
                return;
              }
              if (path.startsWith("/slow/")) {
                vertx.setTimer(SLOW_MS, id -> request.response().end("ok"));
                return;
              }
              request.response().setStatusCode(path.startsWith("/ok/") ? 200 : 404).end("ok");
            })
        .listen()
        .onSuccess(listening -> server = listening);
  }

  public String url(String path) {
    return "http://127.0.0.1:" + server.actualPort() + path;
  }

  /** Requests received so far for {@code path}. */
  public int requests(String path) {
    AtomicInteger count = requestsByPath.get(path);
    return count == null ? 0 : count.get();
  }

  public int acceptedConnections() {
    return connections.get();
  }

  public Future<Void> close() {
    return server.close();
  }
}
