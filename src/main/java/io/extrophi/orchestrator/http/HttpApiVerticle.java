package io.extrophi.orchestrator.http;

import io.extrophi.orchestrator.bus.EventBusAddresses;
import io.extrophi.orchestrator.bus.MessageSchema;
import io.extrophi.orchestrator.config.CheckView;
import io.extrophi.orchestrator.config.ConnectionLimits;
import io.extrophi.orchestrator.config.OrchestratorConfig;
import io.extrophi.orchestrator.status.EncodedSnapshot;
import io.extrophi.orchestrator.status.SharedSnapshot;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST API. Handlers never touch probe or status state directly: they ask the status and probe
 * verticles over the event bus, so this verticle only translates HTTP to messages and back.
 */
public final class HttpApiVerticle extends VerticleBase {

  /** Pre-encoded: written into every answer's headers without encoding the string each time. */
  static final CharSequence JSON = HttpHeaders.createOptimized("application/json");

  static final String VERSION = "0.1.0";

  private static final Logger LOG = LoggerFactory.getLogger(HttpApiVerticle.class);

  /** A path, the methods it answers and its handler; the 405 {@code Allow} header comes from it. */
  private record Route(String path, Set<HttpMethod> methods, Handler<RoutingContext> handler) {
    /**
     * Whether a request path falls on this route; {@code :param} matches one path segment, a
     * trailing {@code *} the rest of the path.
     */
    boolean matches(String requestPath) {
      String trimmed = requestPath.length() > 1 ? requestPath.replaceAll("/+$", "") : requestPath;
      return trimmed.matches(path.replaceAll(":[a-z]+", "[^/]+").replace("*", ".*"));
    }
  }

  /** gzip level of compressed answers: see {@link #serverOptions}. */
  static final int COMPRESSION_LEVEL = 1;

  /** Answers shorter than this go uncompressed, whatever the client accepts. */
  static final int COMPRESSION_THRESHOLD_BYTES = 1_024;

  private static final long STATUS_TIMEOUT_MS = 10_000;
  private static final String STATUS_PATH = "/health/status";

  private List<Route> routes;
  private OrchestratorConfig config;
  private HttpServer server;
  private MessageConsumer<JsonObject> configChanges;
  private SharedSnapshot sharedSnapshot;
  private ApiAccess access;
  private final PrometheusMeterRegistry meters;
  private EventStream events;
  private OpenApiDocument openApi;
  private ConnectionGuard connections;

  /**
   * @param config the configuration to start with (handed over directly: see {@link
   *     io.extrophi.orchestrator.probe.ProbeVerticle#ProbeVerticle(OrchestratorConfig,
   *     java.time.Clock)})
   * @param meters what {@code GET /metrics} exposes
   */
  public HttpApiVerticle(OrchestratorConfig config, PrometheusMeterRegistry meters) {
    this.config = config;
    this.meters = meters;
  }

  @Override
  public Future<?> start() {
    sharedSnapshot = SharedSnapshot.of(vertx);
    access = new ApiAccess(() -> config.runtime().apiToken());
    ConnectionLimits limits = config.runtime().connections();
    // The stream's comment lines are what keeps an idle stream under the idle timeout.
    events =
        new EventStream(
            vertx,
            this::currentStatus,
            meters,
            config.runtime().eventStreams(),
            Math.min(EventStream.KEEPALIVE_MS, limits.idleTimeout().toMillis() / 2),
            EventStream.STUCK_LIMIT_MS);
    connections = new ConnectionGuard(vertx, limits, meters);
    OpenFilesLimit.warnIfTooLow(config.services().size(), limits.maxConnections());
    MetricsEndpoint metrics = new MetricsEndpoint(vertx, meters);
    openApi = OpenApiDocument.read(vertx);
    StatusPage page = new StatusPage();
    Router router = Router.router(vertx);
    // HEAD answers like GET without a body, as load balancers and uptime checkers expect.
    Set<HttpMethod> readOnly = Set.of(HttpMethod.GET, HttpMethod.HEAD);
    routes =
        List.of(
            new Route("/", readOnly, this::serviceInfo),
            new Route("/health", readOnly, this::liveness),
            new Route(STATUS_PATH, readOnly, this::status),
            new Route("/health/status/:name", readOnly, this::serviceStatus),
            new Route("/health/services", readOnly, this::services),
            new Route("/health/history/:name", readOnly, this::history),
            new Route("/health/schedule", readOnly, this::schedule),
            new Route(EventStream.PATH, readOnly, events::handle),
            new Route(MetricsEndpoint.PATH, readOnly, metrics::handle),
            new Route(StatusPage.PATH, readOnly, page::redirect),
            new Route(StatusPage.FILES, readOnly, page::serve),
            new Route("/health/trigger", Set.of(HttpMethod.POST), access.guard(this::trigger)),
            new Route(
                "/health/trigger/:name", Set.of(HttpMethod.POST), access.guard(this::triggerOne)),
            new Route("/config/reload", Set.of(HttpMethod.POST), access.guard(this::reload)),
            new Route(OpenApiDocument.JSON_PATH, readOnly, openApi::serveJson),
            new Route(OpenApiDocument.YAML_PATH, readOnly, openApi::serveYaml));
    // First, for every request: a HEAD answer gets the headers GET's would have. Not restricted
    // to HEAD on the route itself: a route that fails a request's method turns its 404 into 405.
    router.route().handler(HttpApiVerticle::headLikeGet);
    for (Route route : routes) {
      // One router route per path for all its methods: a handler that passes a request on (the
      // status page's, for a file it does not have) must reach the 404, not a sibling's 405.
      io.vertx.ext.web.Route registered = router.route(route.path());
      route.methods().forEach(registered::method);
      registered.handler(route.handler());
    }
    // Every error the router can produce, including its own 400 for an undecodable path,
    // answers in the one JSON shape.
    for (int status = 400; status < 600; status++) {
      int code = status;
      router.errorHandler(code, ctx -> routingError(ctx, code));
    }
    // Trigger deadlines and the listed checks follow the configuration, which a reload may change.
    configChanges =
        vertx
            .eventBus()
            .localConsumer(
                EventBusAddresses.CONFIG_CHANGED,
                message -> config = OrchestratorConfig.fromJson(message.body()));
    return events.start().compose(consuming -> listen(router)).onFailure(failed -> events.stop());
  }

  @Override
  public Future<?> stop() {
    events.stop();
    return Future.succeededFuture();
  }

  private Future<HttpServer> listen(Router router) {
    return vertx
        .createHttpServer(serverOptions(config))
        .invalidRequestHandler(ApiError::invalidRequest)
        .connectionHandler(connections::accept)
        .requestHandler(
            request -> {
              connections.received(request);
              if (RequestBodyLimit.rejects(request)) {
                return;
              }
              if (declaresBody(request)) {
                // Answered once the whole body is in: a body that never completes gets the 408 of
                // the request deadline, not an answer that leaves its rest to be read as a request.
                request
                    .end()
                    .onSuccess(
                        read -> {
                          if (!request.response().ended()) {
                            dispatch(request, router);
                          }
                        });
              } else {
                dispatch(request, router);
              }
            })
        .listen(config.httpPort(), config.httpHost())
        .recover(
            failure ->
                Future.failedFuture(
                    ListenFailure.of(
                        "the HTTP API", config.httpHost(), config.httpPort(), failure)))
        // Read while the server binds: a jar without a valid document fails the deployment.
        .compose(listening -> openApi.ready().map(listening))
        .onSuccess(
            listening -> {
              server = listening;
              LOG.info(
                  "HTTP API listening on {}:{}{}",
                  config.httpHost(),
                  listening.actualPort(),
                  config.runtime().servesTls() ? " (HTTPS)" : "");
            });
  }

  private void dispatch(HttpServerRequest request, Router router) {
    if (isPlainStatusRequest(request)) {
      // Labelled with its route in the HTTP metrics, as if the router had served it.
      request.routed(STATUS_PATH);
      sendStatus(request.response());
    } else {
      router.handle(request);
    }
  }

  private static boolean declaresBody(HttpServerRequest request) {
    if (request.isEnded()) {
      return false;
    }
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    return request.headers().contains(HttpHeaders.TRANSFER_ENCODING)
        || (length != null && !length.strip().equals("0"));
  }

  /**
   * Plain HTTP, or HTTPS only when a PEM certificate and key are configured (read when the server
   * starts: a missing or unreadable file stops start-up, naming it).
   */
  private static HttpServerOptions serverOptions(OrchestratorConfig config) {
    HttpServerOptions options =
        new HttpServerOptions()
            // HTTP/1.1 only: no client of this API speaks cleartext HTTP/2 unasked (browsers use
            // HTTP/2 only over TLS, Prometheus and curl default to HTTP/1.1), and Vert.x's HTTP/2
            // path bypasses the request limits and HEAD handling tested here. An h2c upgrade
            // request is answered in HTTP/1.1, as the upgrade protocol allows.
            .setHttp2ClearTextEnabled(false)
            // gzip or deflate when the client asks (Prometheus always does): /metrics and a
            // large fleet's status shrink five- to fifteenfold. Level 1 gets most of what the
            // default 6 gets for less CPU (docs/benchmarks.md); answers under a packet are not
            // worth the work.
            .setCompressionSupported(true)
            .setCompressionLevel(COMPRESSION_LEVEL)
            .setCompressionContentSizeThreshold(COMPRESSION_THRESHOLD_BYTES)
            // Counts reads and writes alike, so the event stream's comment lines keep it open.
            .setIdleTimeout((int) config.runtime().connections().idleTimeout().toMillis())
            .setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
    if (config.runtime().servesTls()) {
      options
          .setSsl(true)
          .setKeyCertOptions(
              new PemKeyCertOptions()
                  .setCertPath(config.runtime().tlsCertFile())
                  .setKeyPath(config.runtime().tlsKeyFile()));
    }
    return options;
  }

  /** The port the server really listens on (differs from the configured one when that is 0). */
  public int actualPort() {
    return server == null ? -1 : server.actualPort();
  }

  private void serviceInfo(RoutingContext ctx) {
    JsonObject info =
        new JsonObject()
            .put("service", "Orchestrator")
            .put("version", VERSION)
            .put("status", "running")
            .put(
                "endpoints",
                new JsonObject().put("health", "/health").put("health_status", "/health/status"));
    // Whether the state is being saved: an operator sees here that nothing is.
    vertx
        .eventBus()
        .<JsonObject>request(
            EventBusAddresses.PERSISTENCE_QUERY,
            new JsonObject(),
            MessageSchema.localDelivery(STATUS_TIMEOUT_MS))
        .onSuccess(reply -> info.put("persistence", MessageSchema.unstamp(reply.body())))
        .onComplete(asked -> sendServiceInfo(ctx, info));
  }

  private void sendServiceInfo(RoutingContext ctx, JsonObject info) {
    if (!vertx.isClustered()) {
      sendJson(ctx, info);
      return;
    }
    // In a cluster: whether this node is in it and probing ("ok") or serving its last snapshot
    // ("degraded"), its id, the orchestrator nodes it sees and how many services it probes.
    vertx
        .eventBus()
        .<JsonObject>request(
            EventBusAddresses.CLUSTER_INFO,
            new JsonObject(),
            MessageSchema.localDelivery(STATUS_TIMEOUT_MS))
        .onSuccess(reply -> sendJson(ctx, info.mergeIn(reply.body())))
        .onFailure(failure -> sendJson(ctx, info.put("cluster", "degraded")));
  }

  private void liveness(RoutingContext ctx) {
    sendJson(ctx, new JsonObject().put("status", "ok").put("service", "orchestrator"));
  }

  private void status(RoutingContext ctx) {
    String tag = ctx.queryParams().get("tag");
    if (tag != null) {
      // Encoded by the status verticle for this request: a filtered snapshot is not shared.
      askEncoded(ctx.response(), new JsonObject().put("tag", tag));
      return;
    }
    sendStatus(ctx.response());
  }

  /**
   * The body of {@code GET /health/status}: the snapshot the status verticle encoded after the last
   * change, if there is one fresh, served from this event loop without a message; otherwise asked
   * for (and so encoded once for all the requests after this one).
   */
  private void sendStatus(HttpServerResponse response) {
    Instant now = Instant.now();
    EncodedSnapshot snapshot = sharedSnapshot.fresh(now.toEpochMilli());
    if (snapshot != null) {
      sendJson(response, snapshot.render(now));
      return;
    }
    askEncoded(response, null);
  }

  /** The current body of {@code GET /health/status}, for the event stream's snapshots. */
  private Future<Buffer> currentStatus() {
    EncodedSnapshot snapshot = sharedSnapshot.fresh(System.currentTimeMillis());
    return snapshot != null
        ? Future.succeededFuture(snapshot.render(Instant.now()))
        : encodedStatus(null);
  }

  private void askEncoded(HttpServerResponse response, JsonObject query) {
    encodedStatus(query)
        .onSuccess(body -> sendJson(response, body))
        .onFailure(
            failure -> answerFailure(response, EventBusAddresses.ENCODED_STATUS_QUERY, failure));
  }

  /**
   * The status (of the services with a tag, when the query names one) as the status verticle
   * encodes it.
   */
  private Future<Buffer> encodedStatus(JsonObject query) {
    return vertx
        .eventBus()
        .<EncodedSnapshot>request(
            EventBusAddresses.ENCODED_STATUS_QUERY,
            query,
            MessageSchema.localDelivery(STATUS_TIMEOUT_MS))
        .map(reply -> reply.body().render(Instant.now()));
  }

  /**
   * Whether a request is the plain {@code GET /health/status} that dashboards poll: it is answered
   * before the router, which costs more than the answer itself (a routing context, route matching
   * over every route) and which it does not need.
   */
  private static boolean isPlainStatusRequest(HttpServerRequest request) {
    return request.method() == HttpMethod.GET
        && STATUS_PATH.equals(request.path())
        && request.query() == null;
  }

  private void serviceStatus(RoutingContext ctx) {
    ask(ctx, EventBusAddresses.STATUS_QUERY, serviceQuery(ctx), STATUS_TIMEOUT_MS);
  }

  /** Every service's check, from the configuration in force (it follows reloads). */
  private void services(RoutingContext ctx) {
    sendJson(ctx, CheckView.fleet(config.services()));
  }

  private void history(RoutingContext ctx) {
    JsonObject query = serviceQuery(ctx);
    String limit = ctx.queryParams().get("limit");
    if (limit != null) {
      if (!limit.matches("[0-9]{1,9}") || Integer.parseInt(limit) < 1) {
        ApiError.send(ctx.response(), 400, "limit must be a whole number of at least 1");
        return;
      }
      query.put("limit", Integer.parseInt(limit));
    }
    ask(ctx, EventBusAddresses.HISTORY_QUERY, query, STATUS_TIMEOUT_MS);
  }

  private void schedule(RoutingContext ctx) {
    ask(ctx, EventBusAddresses.SCHEDULE_QUERY, new JsonObject(), STATUS_TIMEOUT_MS);
  }

  private void trigger(RoutingContext ctx) {
    // In a single process the round comes back encoded, so it is not turned into JSON objects
    // and back on the way; a cluster's round is merged from the nodes' JSON.
    vertx
        .eventBus()
        .<Object>request(
            EventBusAddresses.TRIGGER_CHECKS,
            new JsonObject(),
            MessageSchema.localDelivery(triggerTimeoutMs())
                .addHeader(EventBusAddresses.REPLY_FORMAT_HEADER, EventBusAddresses.ENCODED_REPLY))
        .onSuccess(
            reply -> {
              if (reply.body() instanceof EncodedSnapshot encoded) {
                sendJson(ctx, encoded.render(Instant.now()));
              } else {
                sendJson(ctx, MessageSchema.unstamp((JsonObject) reply.body()));
              }
            })
        .onFailure(
            failure -> answerFailure(ctx.response(), EventBusAddresses.TRIGGER_CHECKS, failure));
  }

  private void triggerOne(RoutingContext ctx) {
    ask(ctx, EventBusAddresses.TRIGGER_CHECKS, serviceQuery(ctx), triggerTimeoutMs());
  }

  private void reload(RoutingContext ctx) {
    ask(ctx, EventBusAddresses.CONFIG_RELOAD, new JsonObject(), STATUS_TIMEOUT_MS);
  }

  // Waits for a full round: the slowest probe's own deadline plus room for the status query.
  private long triggerTimeoutMs() {
    return config.services().stream()
            .mapToLong(service -> service.timeout().toMillis())
            .max()
            .orElse(0)
        + STATUS_TIMEOUT_MS;
  }

  private static JsonObject serviceQuery(RoutingContext ctx) {
    return new JsonObject().put("service", ctx.pathParam("name"));
  }

  private void ask(RoutingContext ctx, String address, JsonObject query, long timeoutMs) {
    vertx
        .eventBus()
        .<JsonObject>request(address, query, MessageSchema.localDelivery(timeoutMs))
        .map(Message::body)
        .map(MessageSchema::unstamp)
        .onSuccess(body -> sendJson(ctx, body))
        .onFailure(failure -> answerFailure(ctx.response(), address, failure));
  }

  /** A verticle's deliberate refusal (404 unknown service, 422 invalid config) passes through. */
  private static void answerFailure(
      HttpServerResponse response, String address, Throwable failure) {
    if (failure instanceof ReplyException reply
        && reply.failureType() == ReplyFailure.RECIPIENT_FAILURE
        && reply.failureCode() >= 400
        && reply.failureCode() < 500) {
      ApiError.send(response, reply.failureCode(), reply.getMessage());
      return;
    }
    LOG.warn("{} failed: {}", address, failure.getMessage());
    ApiError.send(response, 503, "the orchestrator cannot answer right now, retry shortly");
  }

  private void routingError(RoutingContext ctx, int status) {
    String method = ctx.request().method().name();
    String path = ctx.request().path();
    switch (status) {
      case 404 -> ApiError.send(ctx.response(), 404, "no resource at " + method + " " + path);
      case 405 -> {
        // The path as the router matched it: "//" or "/health/./status" name a route too.
        ctx.response().putHeader(HttpHeaders.ALLOW, allowedMethods(ctx.normalizedPath()));
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

  /**
   * Vert.x drops the body of an answer to HEAD and, with it, the {@code Content-Length} that the
   * same answer to GET has; clients use it to size a download before they make it. Put back from
   * the bytes the handler wrote (and Vert.x discarded), whichever handler answers, so a new route
   * needs nothing of its own. The event stream has no length to give; it is told by its type
   * because Vert.x has taken the {@code Transfer-Encoding} off a HEAD answer before this runs.
   */
  private static void headLikeGet(RoutingContext ctx) {
    if (ctx.request().method() != HttpMethod.HEAD) {
      ctx.next();
      return;
    }
    HttpServerResponse response = ctx.response();
    ctx.addHeadersEndHandler(
        ending -> {
          int status = response.getStatusCode();
          String type = response.headers().get(HttpHeaders.CONTENT_TYPE);
          if (status >= 200
              && status != 204
              && status != 304
              && !response.headers().contains(HttpHeaders.CONTENT_LENGTH)
              && (type == null || !type.startsWith(EventStream.MEDIA_TYPE))) {
            response.putHeader(HttpHeaders.CONTENT_LENGTH, String.valueOf(response.bytesWritten()));
          }
        });
    ctx.next();
  }

  private String allowedMethods(String path) {
    return routes.stream()
        .filter(route -> route.matches(path))
        .flatMap(route -> route.methods().stream())
        .map(HttpMethod::name)
        .sorted()
        .collect(Collectors.joining(", "));
  }

  private static void sendJson(RoutingContext ctx, JsonObject body) {
    sendJson(ctx, body.toBuffer());
  }

  private static void sendJson(RoutingContext ctx, Buffer body) {
    sendJson(ctx.response(), body);
  }

  private static void sendJson(HttpServerResponse response, Buffer body) {
    // Added, not put: nothing sets a content type before the answer, and a put first searches
    // the headers for one to replace (9 % of the status path's CPU).
    response.headers().add(HttpHeaders.CONTENT_TYPE, JSON);
    response.end(body);
  }
}
