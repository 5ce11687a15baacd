package io.extrophi.orchestrator.http;

import io.extrophi.orchestrator.bus.EventBusAddresses;
import io.extrophi.orchestrator.bus.MessageSchema;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * The routes about the orchestrator itself: {@code GET /} (its version, whether its state is saved
 * and, in a cluster, its place in it) and the liveness answer of {@code GET /health}.
 */
final class InfoRoutes {

  static final String VERSION = "0.1.0";

  private final Vertx vertx;

  InfoRoutes(Vertx vertx) {
    this.vertx = vertx;
  }

  void serviceInfo(RoutingContext ctx) {
    JsonObject info =
        new JsonObject()
            .put("service", "Orchestrator")
            .put("version", VERSION)
            .put("status", "running")
            .put(
                "endpoints",
                new JsonObject()
                    .put("health", "/health")
                    .put("health_status", StatusRoutes.STATUS_PATH));
    // Whether the state is being saved: an operator sees here that nothing is.
    vertx
        .eventBus()
        .<JsonObject>request(
            EventBusAddresses.PERSISTENCE_QUERY,
            new JsonObject(),
            MessageSchema.localDelivery(JsonAnswers.BUS_TIMEOUT_MS))
        .onSuccess(reply -> info.put("persistence", MessageSchema.unstamp(reply.body())))
        .onComplete(asked -> sendServiceInfo(ctx, info));
  }

  private void sendServiceInfo(RoutingContext ctx, JsonObject info) {
    if (!vertx.isClustered()) {
      JsonAnswers.send(ctx, info);
      return;
    }
    // In a cluster: whether this node is in it and probing ("ok") or serving its last snapshot
    // ("degraded"), its id, the orchestrator nodes it sees and how many services it probes.
    vertx
        .eventBus()
        .<JsonObject>request(
            EventBusAddresses.CLUSTER_INFO,
            new JsonObject(),
            MessageSchema.localDelivery(JsonAnswers.BUS_TIMEOUT_MS))
        .onSuccess(reply -> JsonAnswers.send(ctx, info.mergeIn(reply.body())))
        .onFailure(failure -> JsonAnswers.send(ctx, info.put("cluster", "degraded")));
  }

  void liveness(RoutingContext ctx) {
    JsonAnswers.send(ctx, new JsonObject().put("status", "ok").put("service", "orchestrator"));
  }
}
