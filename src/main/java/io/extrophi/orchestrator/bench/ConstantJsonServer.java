package io.extrophi.orchestrator.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;

/**
 * The ceiling for the query-path benchmark: a minimal Vert.x server answering every request with
 * one constant JSON, on a single event loop like the orchestrator's API. What {@code GET
 * /health/status} reaches is judged against what this reaches in the same run on the same machine.
 *
 * <p>Run with {@code java -cp target/orchestrator.jar
 * io.extrophi.orchestrator.bench.ConstantJsonServer --port P}. It binds 127.0.0.1 only and prints
 * {@code ConstantJsonServer listening on 127.0.0.1:PORT} once ready.
 */
public final class ConstantJsonServer {

  /** The answer to every request; about the size of a small status snapshot's first line. */
  static final String BODY = "{\"status\":\"ok\",\"service\":\"constant\"}";

  private ConstantJsonServer() {}

  /**
   * Starts the server on 127.0.0.1.
   *
   * @param port {@code 0} picks a free port
   */
  public static Future<HttpServer> listen(Vertx vertx, int port) {
    return vertx
        .createHttpServer()
        .requestHandler(
            request -> request.response().putHeader("content-type", "application/json").end(BODY))
        .listen(port, BenchArgs.HOST);
  }

  /** Starts the server. Options: {@code --port P} (required). */
  public static void main(String[] args) {
    BenchArgs options;
    try {
      options = BenchArgs.parse(args, 1);
    } catch (IllegalArgumentException e) {
      System.err.println("ConstantJsonServer: " + e.getMessage());
      System.exit(2);
      return;
    }
    listen(Vertx.vertx(), options.port())
        .onSuccess(
            server ->
                System.out.println(
                    "ConstantJsonServer listening on "
                        + BenchArgs.HOST
                        + ":"
                        + server.actualPort()))
        .onFailure(
            failure -> {
              System.err.println("ConstantJsonServer: " + failure.getMessage());
              System.exit(3);
            });
  }
}
