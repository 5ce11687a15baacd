package io.extrophi.orchestrator.http;

import io.extrophi.orchestrator.bus.EventBusAddresses;
import io.extrophi.orchestrator.config.ConnectionLimits;
import io.extrophi.orchestrator.config.OrchestratorConfig;
import io.extrophi.orchestrator.http.RouteTable.Route;
import io.extrophi.orchestrator.view.StatusReadModel;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Router;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST API's server: its routes ({@link StatusRoutes}, {@link TriggerRoutes}, {@link
 * InfoRoutes} and the event stream, metrics, status page and OpenAPI document) put into one router
 * ({@link RouteTable}), and the server that listens. Routes never touch probe or status state
 * directly: they read the {@link StatusReadModel} or ask the other verticles over the event bus.
 */
public final class HttpApiVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(HttpApiVerticle.class);

  /** gzip level of compressed answers: see {@link #serverOptions}. */
  static final int COMPRESSION_LEVEL = 1;

  /** Answers shorter than this go uncompressed, whatever the client accepts. */
  static final int COMPRESSION_THRESHOLD_BYTES = 1_024;

  private OrchestratorConfig config;
  private RouteTable routes;
  private HttpServer server;
  private MessageConsumer<JsonObject> configChanges;
  private StatusRoutes statusRoutes;
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
    StatusReadModel status = StatusReadModel.of(vertx);
    statusRoutes = new StatusRoutes(vertx, status, () -> config);
    TriggerRoutes triggers = new TriggerRoutes(vertx, () -> config);
    InfoRoutes info = new InfoRoutes(vertx);
    access = new ApiAccess(() -> config.runtime().apiToken());
    ConnectionLimits limits = config.runtime().connections();
    // The stream's comment lines are what keeps an idle stream under the idle timeout.
    events =
        new EventStream(
            vertx,
            status::status,
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
    Set<HttpMethod> post = Set.of(HttpMethod.POST);
    routes =
        new RouteTable(
            List.of(
                new Route("/", readOnly, info::serviceInfo),
                new Route("/health", readOnly, info::liveness),
                new Route(StatusRoutes.STATUS_PATH, readOnly, statusRoutes::status),
                new Route("/health/status/:name", readOnly, statusRoutes::serviceStatus),
                new Route("/health/services", readOnly, statusRoutes::services),
                new Route("/health/history/:name", readOnly, statusRoutes::history),
                new Route("/health/schedule", readOnly, statusRoutes::schedule),
                new Route("/health/components", readOnly, statusRoutes::components),
                new Route(EventStream.PATH, readOnly, events::handle),
                new Route(MetricsEndpoint.PATH, readOnly, metrics::handle),
                new Route(StatusPage.PATH, readOnly, page::redirect),
                new Route(StatusPage.FILES, readOnly, page::serve),
                new Route("/health/trigger", post, access.guard(triggers::trigger)),
                new Route("/health/trigger/:name", post, access.guard(triggers::triggerOne)),
                new Route("/config/reload", post, access.guard(triggers::reload)),
                new Route(OpenApiDocument.JSON_PATH, readOnly, openApi::serveJson),
                new Route(OpenApiDocument.YAML_PATH, readOnly, openApi::serveYaml)));
    routes.install(router);
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
    if (StatusRoutes.isPlainStatusRequest(request)) {
      // Labelled with its route in the HTTP metrics, as if the router had served it.
      request.routed(StatusRoutes.STATUS_PATH);
      statusRoutes.sendStatus(request);
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

  /** The routes served, for the test that holds them to the OpenAPI document. */
  List<Route> routes() {
    return routes.routes();
  }

  /** The port the server really listens on (differs from the configured one when that is 0). */
  public int actualPort() {
    return server == null ? -1 : server.actualPort();
  }
}
