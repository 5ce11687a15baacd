package io.extrophi.orchestrator.http;

import io.extrophi.orchestrator.config.ConnectionLimits;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keeps idle, slow and excess clients from holding the API's connections, and with them the file
 * descriptors that probes and the state file need.
 *
 * <p>Vert.x closes idle connections itself (the server's idle timeout); it has no deadline for
 * receiving a request, so a client sending its headers a byte at a time would keep a connection
 * forever. Each connection therefore gets a timer: a request's head and body must arrive within
 * {@link ConnectionLimits#requestTimeout()} of the connection opening, and the next request within
 * the idle timeout plus that deadline of the previous request having been read. A request still
 * incomplete when the timer fires gets 408; a connection without one is simply closed. A timer that
 * fires while an answer is still being written (a slow status, the event stream) is not the
 * client's fault and starts again.
 *
 * <p>At {@link ConnectionLimits#maxConnections()}, a new connection takes the place of the oldest
 * one that is waiting for a request (kept alive, or still sending its head), so that a flood of
 * idle or slow clients cannot lock out {@code GET /health}; when every connection is being answered
 * or is sending a body, the new one is closed as it is accepted, which frees its descriptor at
 * once.
 *
 * <p>Used on the event loop of the API verticle only: the state is not shared between threads.
 */
final class ConnectionGuard {

  private final Vertx vertx;
  private final ConnectionLimits limits;

  /** In the order they were accepted: the first waiting one is the one to give way. */
  private final Map<HttpConnection, Tracked> open = new LinkedHashMap<>();

  private final Counter refused;
  private final Counter evicted;
  private final Counter timedOut;

  ConnectionGuard(Vertx vertx, ConnectionLimits limits, MeterRegistry meters) {
    this.vertx = vertx;
    this.limits = limits;
    Gauge.builder("orchestrator.http.connections.open", open, Map::size)
        .description("API connections open now")
        .register(meters);
    refused = closed(meters, "refused");
    evicted = closed(meters, "evicted");
    timedOut = closed(meters, "request_timeout");
  }

  private static Counter closed(MeterRegistry meters, String reason) {
    return Counter.builder("orchestrator.http.connections.closed")
        .description(
            "API connections closed by the server's limits (reason: refused at"
                + " HTTP_MAX_CONNECTIONS, evicted at it, or HTTP_REQUEST_TIMEOUT passed)")
        .tag("reason", reason)
        .register(meters);
  }

  /** For the server's connection handler: admits the connection or closes it. */
  void accept(HttpConnection connection) {
    if (open.size() >= limits.maxConnections() && !evictOneWaiting()) {
      refused.increment();
      connection.close();
      return;
    }
    Tracked tracked = new Tracked(connection);
    open.put(connection, tracked);
    connection.closeHandler(
        closed -> {
          open.remove(connection);
          tracked.cancel();
        });
    tracked.expectRequestWithin(limits.requestTimeout().toMillis());
  }

  /** Closes the oldest connection that waits for a request; false when there is none. */
  private boolean evictOneWaiting() {
    Iterator<Tracked> oldestFirst = open.values().iterator();
    while (oldestFirst.hasNext()) {
      Tracked tracked = oldestFirst.next();
      if (tracked.waitsForRequest()) {
        oldestFirst.remove();
        tracked.cancel();
        evicted.increment();
        tracked.connection.close();
        return true;
      }
    }
    return false;
  }

  /**
   * For every request as its head arrives: its body must follow within the deadline. A request with
   * {@code Transfer-Encoding} closes its connection once answered (RFC 9112, section 6.3): a client
   * that also sent {@code Content-Length} may frame the body differently from the server, and what
   * follows on the connection cannot be trusted to be a request.
   */
  void received(HttpServerRequest request) {
    Tracked tracked = open.get(request.connection());
    if (tracked == null) {
      return;
    }
    tracked.request = request;
    if (request.headers().contains(HttpHeaders.TRANSFER_ENCODING)) {
      request
          .response()
          .putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE)
          .endHandler(answered -> request.connection().close());
    }
    if (request.isEnded()) {
      tracked.read();
    } else {
      request.end().onSuccess(read -> tracked.read());
    }
  }

  /** One admitted connection and its request deadline. */
  private final class Tracked {
    private final HttpConnection connection;
    private HttpServerRequest request;
    private long timer = -1;

    Tracked(HttpConnection connection) {
      this.connection = connection;
    }

    /** The current request has been read: the next one may wait as long as the idle timeout. */
    void read() {
      expectRequestWithin(limits.idleTimeout().toMillis() + limits.requestTimeout().toMillis());
    }

    /** No request in progress and no answer being written: nothing is lost by closing it. */
    boolean waitsForRequest() {
      return request == null || (request.isEnded() && request.response().ended());
    }

    void expectRequestWithin(long ms) {
      cancel();
      timer = vertx.setTimer(ms, fired -> deadlinePassed());
    }

    private void deadlinePassed() {
      timer = -1;
      if (request != null && request.isEnded() && !request.response().ended()) {
        // Still answering the last request: the client is waiting for us, not we for it.
        read();
        return;
      }
      timedOut.increment();
      if (request != null && !request.isEnded()) {
        request.response().putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
        ApiError.send(
            request.response(),
            408,
            "the request did not arrive within " + limits.requestTimeout().toMillis() + " ms");
      }
      connection.close();
    }

    void cancel() {
      if (timer >= 0) {
        vertx.cancelTimer(timer);
        timer = -1;
      }
    }
  }
}
