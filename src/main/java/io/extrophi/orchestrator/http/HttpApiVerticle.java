package io.extrophi.orchestrator.http;

import io.extrophi.orchestrator.bus.EventBusAddresses;
import io.extrophi.orchestrator.config.OrchestratorConfig;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST API. Handlers never touch probe or status state directly: they ask the status and probe
 * verticles over the event bus, so this verticle only translates HTTP to messages and back.
 */
public final class HttpApiVerticle extends VerticleBase {

  static final String JSON = "application/json";
  static final String VERSION = "0.1.0";

  private static final Logger LOG = LoggerFactory.getLogger(HttpApiVerticle.class);

  /** A path, the methods it answers and its handler; the 405 {@code Allow} header comes from it. */
  private record Route(String path, Set<HttpMethod> methods, Handler<RoutingContext> handler) {}

  private List<Route> routes;
  private OrchestratorConfig config;
  private HttpServer server;

  @Override
  public Future<?> start() {
    config = OrchestratorConfig.fromJson(config());
    Router router = Router.router(vertx);
    // HEAD answers like GET without a body, as load balancers and uptime checkers expect.
    Set<HttpMethod> readOnly = Set.of(HttpMethod.GET, HttpMethod.HEAD);
    routes =
        List.of(
            new Route("/", readOnly, this::serviceInfo),
            new Route("/health", readOnly, this::liveness),
            new Route("/health/status", readOnly, this::status),
            new Route("/health/trigger", Set.of(HttpMethod.POST), this::trigger));
    for (Route route : routes) {
      route
          .methods()
          .forEach(method -> router.route(method, route.path()).handler(route.handler()));
    }
    // Every error the router can produce, including its own 400 for an undecodable path,
    // answers in the one JSON shape.
    for (int status = 400; status < 600; status++) {
      int code = status;
      router.errorHandler(code, ctx -> routingError(ctx, code));
    }
    return vertx
        .createHttpServer()
        .invalidRequestHandler(ApiError::invalidRequest)
        .requestHandler(router)
        .listen(config.httpPort(), config.httpHost())
        .recover(
            failure ->
                Future.failedFuture(
                    ListenFailure.of(
                        "the HTTP API", config.httpHost(), config.httpPort(), failure)))
        .onSuccess(
            listening -> {
              server = listening;
              LOG.info("HTTP API listening on {}:{}", config.httpHost(), listening.actualPort());
            });
  }

  /** The port the server really listens on (differs from the configured one when that is 0). */
  public int actualPort() {
    return server == null ? -1 : server.actualPort();
  }

  private void serviceInfo(RoutingContext ctx) {
    sendJson(
        ctx,
        new JsonObject()
            .put("service", "Orchestrator")
            .put("version", VERSION)
            .put("status", "running")
            .put(
                "endpoints",
                new JsonObject().put("health", "/health").put("health_status", "/health/status")));
  }

  private void liveness(RoutingContext ctx) {
    sendJson(ctx, new JsonObject().put("status", "ok").put("service", "orchestrator"));
  }

  private void status(RoutingContext ctx) {
    ask(ctx, EventBusAddresses.STATUS_QUERY, 10_000);
  }

  private void trigger(RoutingContext ctx) {
    // Waits for a full round: the probes' own deadline plus room for the status query.
    ask(ctx, EventBusAddresses.TRIGGER_CHECKS, config.checkTimeout().toMillis() + 10_000);
  }

  private void ask(RoutingContext ctx, String address, long timeoutMs) {
    vertx
        .eventBus()
        .<JsonObject>request(
            address, new JsonObject(), new DeliveryOptions().setSendTimeout(timeoutMs))
        .map(Message::body)
        .onSuccess(body -> sendJson(ctx, body))
        .onFailure(
            failure -> {
              LOG.warn("{} failed: {}", address, failure.getMessage());
              ApiError.send(
                  ctx.response(), 503, "the status is not available right now, retry shortly");
            });
  }

  private void routingError(RoutingContext ctx, int status) {
    String method = ctx.request().method().name();
    String path = ctx.request().path();
    switch (status) {
      case 404 -> ApiError.send(ctx.response(), 404, "no resource at " + method + " " + path);
      case 405 -> {
        ctx.response().putHeader(HttpHeaders.ALLOW, allowedMethods(path));
        ApiError.send(ctx.response(), 405, method + " is not allowed on " + path);
      }
      default -> {
        if (status >= 500) {
          LOG.error("failed to answer {} {}", method, path, ctx.failure());
          ApiError.send(ctx.response(), status, "the orchestrator failed to answer this request");
        } else {
          ApiError.send(ctx.response(), status, "the request cannot be processed");
        }
      }
    }
  }

  private String allowedMethods(String path) {
    return routes.stream()
        .filter(route -> route.path().equals(path))
        .flatMap(route -> route.methods().stream())
        .map(HttpMethod::name)
        .sorted()
        .collect(Collectors.joining(", "));
  }

  private static void sendJson(RoutingContext ctx, JsonObject body) {
    ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, JSON).end(body.encode());
  }
}
