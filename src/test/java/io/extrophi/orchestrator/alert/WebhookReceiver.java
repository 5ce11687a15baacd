package io.extrophi.orchestrator.alert;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real webhook receiver on 127.0.0.1 and a free port. It records every request it gets, and
 * answers with a status code (the first few with another one, if asked), or hangs: reads the
 * request and never answers. Public for the process tests, which check what a real process alerts.
 */
public final class WebhookReceiver {

  /** One request as received. */
  public record Received(
      JsonObject body, String idempotencyKey, String attempt, String contentType) {

    /** The alert's {@code new_state}. */
    public String newState() {
      return body.getString("new_state");
    }
  }

  private final Vertx vertx;
  private final List<Received> requests = new CopyOnWriteArrayList<>();
  private final List<Received> accepted = new CopyOnWriteArrayList<>();
  private final List<HttpServerRequest> held = new ArrayList<>();
  private final AtomicInteger maxHeld = new AtomicInteger();
  private HttpServer server;
  private int port;
  private volatile int status = 200;
  private volatile int firstStatus = 200;
  private volatile int firstCount;
  private volatile boolean hang;

  private WebhookReceiver(Vertx vertx) {
    this.vertx = vertx;
  }

  public static Future<WebhookReceiver> start(Vertx vertx) {
    return new WebhookReceiver(vertx).listen(0);
  }

  /** A receiver that is down: its port is known, nothing listens on it until {@link #comeUp}. */
  static Future<WebhookReceiver> down(Vertx vertx) {
    return start(vertx).compose(receiver -> receiver.server.close().map(receiver));
  }

  /** Starts listening again on the same port. */
  Future<WebhookReceiver> comeUp() {
    return listen(port);
  }

  private Future<WebhookReceiver> listen(int wanted) {
    server = vertx.createHttpServer().requestHandler(this::handle);
    return server
        .listen(wanted, "127.0.0.1")
        .map(
            listening -> {
              port = listening.actualPort();
              return this;
            });
  }

  public String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  WebhookReceiver respondWith(int code) {
    this.status = code;
    this.firstCount = 0;
    this.hang = false;
    return this;
  }

  /** Answers the next {@code count} requests with {@code first}, then {@code then}. */
  WebhookReceiver respondWith(int first, int count, int then) {
    this.firstStatus = first;
    this.firstCount = count;
    this.status = then;
    this.hang = false;
    return this;
  }

  WebhookReceiver hang() {
    this.hang = true;
    return this;
  }

  /** Every request received, in order. */
  public List<Received> requests() {
    return List.copyOf(requests);
  }

  /** The {@code new_state} of each alert answered with a 2xx, in order. */
  List<String> acceptedNewStates() {
    return accepted.stream().map(Received::newState).toList();
  }

  /** The requests answered with a 2xx, in order. */
  List<Received> accepted() {
    return List.copyOf(accepted);
  }

  /** The most requests held unanswered at once. */
  int maxHeld() {
    return maxHeld.get();
  }

  public Future<Void> close() {
    return server.close();
  }

  private void handle(HttpServerRequest request) {
    request
        .body()
        .onSuccess(
            body -> {
              Received received =
                  new Received(
                      body.toJsonObject(),
                      request.getHeader("Idempotency-Key"),
                      request.getHeader("X-Orchestrator-Attempt"),
                      request.getHeader("Content-Type"));
              requests.add(received);
              if (hang) {
                synchronized (held) {
                  held.add(request);
                  maxHeld.accumulateAndGet(held.size(), Math::max);
                }
                request.connection().closeHandler(closed -> forget(request));
                return;
              }
              int code = status;
              if (firstCount > 0) {
                firstCount--;
                code = firstStatus;
              }
              if (code >= 200 && code < 300) {
                accepted.add(received);
              }
              request.response().setStatusCode(code).end();
            });
  }

  private void forget(HttpServerRequest request) {
    synchronized (held) {
      held.remove(request);
    }
  }
}
