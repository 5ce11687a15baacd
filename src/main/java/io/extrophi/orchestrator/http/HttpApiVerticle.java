package io.extrophi.orchestrator.http;

import io.extrophi.orchestrator.bus.EventBusAddresses;
import io.extrophi.orchestrator.config.OrchestratorConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.Map;
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

  /** Every route and its methods; the 405 handler derives the {@code Allow} header from it. */
  private static final Map<String, Set<HttpMethod>> ROUTES = new LinkedHashMap<>();

  static {
    ROUTES.put("/", Set.of(HttpMethod.GET));
    ROUTES.put("/health", Set.of(HttpMethod.GET));
    ROUTES.put("/health/status", Set.of(HttpMethod.GET));
    ROUTES.put("/health/trigger", Set.of(HttpMethod.POST));
  }

  private OrchestratorConfig config;
  private HttpServer server;

  @Override
  public Future<?> start() {
    config = OrchestratorConfig.fromJson(config());
    Router router = Router.router(vertx);
    router.get("/").handler(this::serviceInfo);
    router.get("/health").handler(this::liveness);
    router.get("/health/status").handler(this::status);
    router.post("/health/trigger").handler(this::trigger);
    router.errorHandler(
        404,
        ctx ->
            ApiError.send(
                ctx,
                404,
                "not_found",
                "no resource at " + ctx.request().method() + " " + ctx.request().path()));
    router.errorHandler(405, this::methodNotAllowed);
    router.errorHandler(500, this::internalError);
    return vertx
        .createHttpServer()
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
                  ctx, 503, "unavailable", "the status is not available right now, retry shortly");
            });
  }

  private void methodNotAllowed(RoutingContext ctx) {
    Set<HttpMethod> allowed = ROUTES.getOrDefault(ctx.request().path(), Set.of());
    if (!allowed.isEmpty()) {
      ctx.response()
          .putHeader(
              HttpHeaders.ALLOW,
              allowed.stream().map(HttpMethod::name).sorted().collect(Collectors.joining(", ")));
    }
    ApiError.send(
        ctx,
        405,
        "method_not_allowed",
        ctx.request().method() + " is not allowed on " + ctx.request().path());
  }

  private void internalError(RoutingContext ctx) {
    LOG.error(
        "unhandled failure on {} {}", ctx.request().method(), ctx.request().path(), ctx.failure());
    ApiError.send(ctx, 500, "internal_error", "the orchestrator failed to answer this request");
  }

  private static void sendJson(RoutingContext ctx, JsonObject body) {
    ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, JSON).end(body.encode());
  }
}
