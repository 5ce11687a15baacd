package io.extrophi.orchestrator.testing;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP probe target on 127.0.0.1 and a free port, whose behaviour a test can switch at any
 * time: answer with a status code, or hang (accept the request and never answer). It counts what it
 * serves, so tests can compare the orchestrator's figures with the target's own.
 */
public final class TargetServer {

  /** What the target does with a request. */
  public enum Mode {
    RESPOND,
    HANG
  }

  private final HttpServer server;
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  private final List<HttpServerRequest> held = new ArrayList<>();
  private volatile int statusCode = 200;
  private volatile String body;
  private volatile int bodyBytes = -1;
  private volatile HttpServerRequest lastRequest;
  private volatile Mode mode = Mode.RESPOND;
  private volatile int releaseWhenInFlight = 0;

  private TargetServer(HttpServer server) {
    this.server = server;
  }

  /** Starts a target answering 200 on every path. */
  public static Future<TargetServer> start(Vertx vertx) {
    HttpServer server = vertx.createHttpServer();
    TargetServer target = new TargetServer(server);
    server.requestHandler(target::handle);
    return server.listen(0, "127.0.0.1").map(target);
  }

  /** A URL on 127.0.0.1 where nothing listens: its probes are refused. */
  public static String unreachableUrl() throws java.io.IOException {
    return "http://127.0.0.1:" + NodeProcess.freePort() + "/health";
  }

  public String url() {
    return "http://127.0.0.1:" + server.actualPort() + "/health";
  }

  public int port() {
    return server.actualPort();
  }

  public TargetServer respondWith(int status) {
    this.statusCode = status;
    this.body = null;
    this.bodyBytes = -1;
    this.mode = Mode.RESPOND;
    return this;
  }

  /** Answers with this status and exactly this body. */
  public TargetServer respondWith(int status, String responseBody) {
    respondWith(status);
    this.body = responseBody;
    return this;
  }

  /** Answers 200 with a body of {@code size} bytes, written in chunks. */
  public TargetServer respondWithBodyOf(int size) {
    respondWith(200);
    this.bodyBytes = size;
    return this;
  }

  /** The method of the last request received. */
  public String lastMethod() {
    return lastRequest == null ? null : lastRequest.method().name();
  }

  /** A header of the last request received. */
  public String lastHeader(String name) {
    return lastRequest == null ? null : lastRequest.getHeader(name);
  }

  public TargetServer hang() {
    this.mode = Mode.HANG;
    return this;
  }

  /**
   * Holds every request until {@code count} are in flight at once, then answers them all: a round
   * that probes sequentially never gets there, a concurrent one does.
   */
  public TargetServer holdUntilInFlight(int count) {
    this.releaseWhenInFlight = count;
    this.mode = Mode.HANG;
    return this;
  }

  public int requests() {
    return requests.get();
  }

  public int maxInFlight() {
    return maxInFlight.get();
  }

  public Future<Void> close() {
    return server.close();
  }

  private void handle(HttpServerRequest request) {
    requests.incrementAndGet();
    lastRequest = request;
    int now = inFlight.incrementAndGet();
    maxInFlight.accumulateAndGet(now, Math::max);
    request
        .connection()
        .closeHandler(
            closed -> {
              if (held.remove(request)) {
                inFlight.decrementAndGet();
              }
            });
    if (mode == Mode.HANG) {
      held.add(request);
      if (releaseWhenInFlight > 0 && now >= releaseWhenInFlight) {
        List<HttpServerRequest> waiting = new ArrayList<>(held);
        held.clear();
        waiting.forEach(this::answer);
      }
      return;
    }
    answer(request);
  }

  private void answer(HttpServerRequest request) {
    inFlight.decrementAndGet();
    if (bodyBytes >= 0) {
      request.response().setChunked(true).setStatusCode(statusCode);
      Buffer chunk = Buffer.buffer(new byte[8192]);
      for (int written = 0; written < bodyBytes; written += chunk.length()) {
        request.response().write(chunk.slice(0, Math.min(chunk.length(), bodyBytes - written)));
      }
      request.response().end();
      return;
    }
    String text =
        body != null ? body : "{\"status\":\"" + (statusCode < 300 ? "ok" : "failing") + "\"}";
    request
        .response()
        .setStatusCode(statusCode)
        .putHeader("content-type", "application/json")
        .end(text);
  }
}
