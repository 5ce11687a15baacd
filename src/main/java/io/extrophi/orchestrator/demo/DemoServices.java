package io.extrophi.orchestrator.demo;

import io.extrophi.orchestrator.http.ListenFailure;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * Three sample services for {@code --demo}, so a newcomer sees every health state without running
 * anything else: {@code writer} is always healthy, {@code research} fails two requests out of every
 * five (HTTP 503), and {@code backend} is down (nothing listens on its port, so probes get
 * "connection refused" and its circuit opens).
 */
public final class DemoServices extends VerticleBase {

  /** Out of every {@value} requests to the flaky service, the last two fail. */
  static final int FLAKY_CYCLE = 5;

  private final String host;
  private final int healthyPort;
  private final int flakyPort;
  private final List<HttpServer> servers = new ArrayList<>();
  private long flakyRequests;

  /**
   * @param host loopback address to bind
   * @param healthyPort port of the always-healthy service ({@code 0} picks one)
   * @param flakyPort port of the intermittently failing service ({@code 0} picks one)
   */
  public DemoServices(String host, int healthyPort, int flakyPort) {
    this.host = host;
    this.healthyPort = healthyPort;
    this.flakyPort = flakyPort;
  }

  @Override
  public Future<?> start() {
    return listen(healthyPort, this::healthy).compose(ignored -> listen(flakyPort, this::flaky));
  }

  /** Actual ports, in the order healthy, flaky (useful when started on port 0). */
  public List<Integer> actualPorts() {
    return servers.stream().map(HttpServer::actualPort).toList();
  }

  private Future<HttpServer> listen(int port, io.vertx.core.Handler<HttpServerRequest> handler) {
    return vertx
        .createHttpServer()
        .requestHandler(handler)
        .listen(port, host)
        .recover(
            failure -> Future.failedFuture(ListenFailure.of("a demo service", host, port, failure)))
        .onSuccess(servers::add);
  }

  private void healthy(HttpServerRequest request) {
    request.response().putHeader("content-type", "application/json").end("{\"status\":\"ok\"}");
  }

  private void flaky(HttpServerRequest request) {
    long positionInCycle = flakyRequests++ % FLAKY_CYCLE;
    boolean failing = positionInCycle >= FLAKY_CYCLE - 2;
    request
        .response()
        .setStatusCode(failing ? 503 : 200)
        .putHeader("content-type", "application/json")
        .end(failing ? "{\"status\":\"overloaded\"}" : "{\"status\":\"ok\"}");
  }
}
