package io.extrophi.orchestrator.http;

import io.extrophi.orchestrator.bus.EventBusAddresses;
import io.extrophi.orchestrator.bus.MessageSchema;
import io.extrophi.orchestrator.config.OrchestratorConfig;
import io.extrophi.orchestrator.view.EncodedSnapshot;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * The routes that make the orchestrator act now: {@code POST /health/trigger} (every service or
 * one) and {@code POST /config/reload}, asked of the probe and reload verticles over the event bus.
 */
final class TriggerRoutes {

  private final Vertx vertx;
  private final Supplier<OrchestratorConfig> config;

  /**
   * @param config the configuration in force: a trigger waits for its slowest probe
   */
  TriggerRoutes(Vertx vertx, Supplier<OrchestratorConfig> config) {
    this.vertx = vertx;
    this.config = config;
  }

  void trigger(RoutingContext ctx) {
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
                JsonAnswers.send(ctx, encoded.render(Instant.now()));
              } else {
                JsonAnswers.send(ctx, MessageSchema.unstamp((JsonObject) reply.body()));
              }
            })
        .onFailure(
            failure ->
                JsonAnswers.sendFailure(ctx.response(), EventBusAddresses.TRIGGER_CHECKS, failure));
  }

  void triggerOne(RoutingContext ctx) {
    JsonAnswers.ask(
        vertx,
        ctx,
        EventBusAddresses.TRIGGER_CHECKS,
        StatusRoutes.serviceQuery(ctx),
        triggerTimeoutMs());
  }

  void reload(RoutingContext ctx) {
    JsonAnswers.ask(
        vertx, ctx, EventBusAddresses.CONFIG_RELOAD, new JsonObject(), JsonAnswers.BUS_TIMEOUT_MS);
  }

  // Waits for a full round: the slowest probe's own deadline plus room for the status query.
  private long triggerTimeoutMs() {
    return config.get().services().stream()
            .mapToLong(service -> service.timeout().toMillis())
            .max()
            .orElse(0)
        + JsonAnswers.BUS_TIMEOUT_MS;
  }
}
