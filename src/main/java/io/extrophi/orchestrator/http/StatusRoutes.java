package io.extrophi.orchestrator.http;

import io.extrophi.orchestrator.bus.EventBusAddresses;
import io.extrophi.orchestrator.config.CheckView;
import io.extrophi.orchestrator.config.OrchestratorConfig;
import io.extrophi.orchestrator.view.EncodedSnapshot;
import io.extrophi.orchestrator.view.FleetQuery;
import io.extrophi.orchestrator.view.StatusReadModel;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * The read-only routes of the status: {@code GET /health/status} (whole, of one tag, of one
 * service), the services' checks, a service's history and the schedule's punctuality. The status
 * comes from the {@link StatusReadModel}; the rest is asked for over the event bus.
 */
final class StatusRoutes {

  static final String STATUS_PATH = "/health/status";

  private final Vertx vertx;
  private final StatusReadModel status;
  private final Supplier<OrchestratorConfig> config;

  /**
   * @param config the configuration in force (it follows reloads)
   */
  StatusRoutes(Vertx vertx, StatusReadModel status, Supplier<OrchestratorConfig> config) {
    this.vertx = vertx;
    this.status = status;
    this.config = config;
  }

  /**
   * Whether a request is the plain {@code GET /health/status} that dashboards poll: it is answered
   * before the router, which costs more than the answer itself (a routing context, route matching
   * over every route) and which it does not need.
   */
  static boolean isPlainStatusRequest(HttpServerRequest request) {
    return request.method() == HttpMethod.GET
        && STATUS_PATH.equals(request.path())
        && request.query() == null;
  }

  /**
   * {@code GET /health/status} with its query: the filters ({@code tag}, {@code health}) and the
   * page ({@code limit}, {@code cursor}); a parameter without meaning is a 400 that names it.
   */
  void status(RoutingContext ctx) {
    FleetQuery query;
    try {
      query = FleetQuery.fromParams(ctx.queryParams());
    } catch (FleetQuery.BadParameter bad) {
      ApiError.send(ctx.response(), 400, bad.getMessage());
      return;
    }
    if (query.isAll()) {
      sendStatus(ctx.request());
      return;
    }
    answer(ctx.request(), status.selection(query));
  }

  /**
   * The body of {@code GET /health/status}: the snapshot the status verticle encoded after the last
   * change, if there is one fresh, served from this event loop without a message; otherwise asked
   * for (and so encoded once for all the requests after this one).
   */
  void sendStatus(HttpServerRequest request) {
    Instant now = Instant.now();
    EncodedSnapshot fresh = status.freshSnapshot(now.toEpochMilli());
    if (fresh != null) {
      StreamedJson.send(request, fresh, now);
      return;
    }
    answer(request, status.snapshot());
  }

  private static void answer(HttpServerRequest request, Future<EncodedSnapshot> body) {
    body.onSuccess(snapshot -> StreamedJson.send(request, snapshot, Instant.now()))
        .onFailure(
            failure ->
                JsonAnswers.sendFailure(
                    request.response(), EventBusAddresses.ENCODED_STATUS_QUERY, failure));
  }

  void serviceStatus(RoutingContext ctx) {
    JsonAnswers.ask(
        vertx, ctx, EventBusAddresses.STATUS_QUERY, serviceQuery(ctx), JsonAnswers.BUS_TIMEOUT_MS);
  }

  /** Every service's check, from the configuration in force (it follows reloads). */
  void services(RoutingContext ctx) {
    JsonAnswers.send(ctx, CheckView.fleet(config.get().services()));
  }

  void history(RoutingContext ctx) {
    JsonObject query = serviceQuery(ctx);
    String limit = ctx.queryParams().get("limit");
    if (limit != null) {
      if (!limit.matches("[0-9]{1,9}") || Integer.parseInt(limit) < 1) {
        ApiError.send(ctx.response(), 400, "limit must be a whole number of at least 1");
        return;
      }
      query.put("limit", Integer.parseInt(limit));
    }
    JsonAnswers.ask(vertx, ctx, EventBusAddresses.HISTORY_QUERY, query, JsonAnswers.BUS_TIMEOUT_MS);
  }

  /** Which component fails where, across the fleet. */
  void components(RoutingContext ctx) {
    JsonAnswers.ask(
        vertx,
        ctx,
        EventBusAddresses.COMPONENTS_QUERY,
        new JsonObject(),
        JsonAnswers.BUS_TIMEOUT_MS);
  }

  void schedule(RoutingContext ctx) {
    JsonAnswers.ask(
        vertx, ctx, EventBusAddresses.SCHEDULE_QUERY, new JsonObject(), JsonAnswers.BUS_TIMEOUT_MS);
  }

  static JsonObject serviceQuery(RoutingContext ctx) {
    return new JsonObject().put("service", ctx.pathParam("name"));
  }
}
