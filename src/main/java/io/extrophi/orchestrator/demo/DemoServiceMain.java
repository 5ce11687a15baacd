package io.extrophi.orchestrator.demo;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One of the demo's sample services as a process of its own, for the compose stack, where writer,
 * research and backend are separate containers:
 *
 * <pre>java -cp orchestrator.jar io.extrophi.orchestrator.demo.DemoServiceMain KIND PORT [HOST]
 * </pre>
 *
 * <p>KIND is {@code healthy} (always 200, as {@code writer} in {@code --demo}), {@code flaky} (two
 * requests out of every {@value DemoServices#FLAKY_CYCLE} get 503, as {@code research}) or {@code
 * failing} (always 503: a container cannot stand for a service nothing listens for, so {@code
 * backend} answers that it is down). HOST defaults to 0.0.0.0, so other containers reach it.
 *
 * <p>{@code GET /requests} answers {@code {"requests":N}}, the number of other requests (probes) it
 * has had, so a test counts the probes at the target: in a cluster, each service's probes come from
 * one node at a time, and from another after that node dies.
 */
public final class DemoServiceMain {

  private DemoServiceMain() {}

  /** Starts the service; exits with status 2 on bad arguments, 3 when the port cannot be bound. */
  public static void main(String[] args) {
    if (args.length < 2 || args.length > 3) {
      System.err.println("usage: DemoServiceMain healthy|flaky|failing PORT [HOST]");
      System.exit(2);
    }
    String kind = args[0].toLowerCase(Locale.ROOT);
    int port = parsePort(args[1]);
    if (!kind.matches("healthy|flaky|failing") || port < 0 || port > 65535) {
      System.err.println("DemoServiceMain: bad kind '" + args[0] + "' or port '" + args[1] + "'");
      System.exit(2);
    }
    String host = args.length == 3 ? args[2] : "0.0.0.0";
    Vertx vertx = Vertx.vertx();
    start(vertx, kind, host, port)
        .onSuccess(server -> System.out.println(kind + " demo service on " + host + ":" + port))
        .onFailure(
            failure -> {
              System.err.println("DemoServiceMain: " + failure.getMessage());
              System.exit(3);
            });
  }

  private static int parsePort(String text) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException notANumber) {
      return -1;
    }
  }

  /** Listens on HOST:PORT ({@code 0} picks a port) with the service of that kind. */
  static Future<HttpServer> start(Vertx vertx, String kind, String host, int port) {
    AtomicLong requests = new AtomicLong();
    return vertx
        .createHttpServer()
        .requestHandler(
            request -> {
              if ("/requests".equals(request.path())) {
                request
                    .response()
                    .putHeader("content-type", "application/json")
                    .end("{\"requests\":" + requests.get() + "}");
              } else {
                answer(request, kind, requests.getAndIncrement());
              }
            })
        .listen(port, host);
  }

  private static void answer(HttpServerRequest request, String kind, long requestNumber) {
    boolean failing =
        switch (kind) {
          case "healthy" -> false;
          case "flaky" -> requestNumber % DemoServices.FLAKY_CYCLE >= DemoServices.FLAKY_CYCLE - 2;
          default -> true;
        };
    request
        .response()
        .setStatusCode(failing ? 503 : 200)
        .putHeader("content-type", "application/json")
        .end(failing ? "{\"status\":\"down\"}" : "{\"status\":\"ok\"}");
  }
}
