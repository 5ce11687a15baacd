package io.extrophi.orchestrator.http;

import io.extrophi.orchestrator.bus.MessageSchema;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a route answers: a JSON body, or the reply of the verticle it asks over the event bus, whose
 * deliberate refusals pass through as the API's JSON error.
 */
final class JsonAnswers {

  /** Pre-encoded: written into every answer's headers without encoding the string each time. */
  static final CharSequence JSON = HttpHeaders.createOptimized("application/json");

  /** How long a route waits for another verticle's reply (a trigger waits longer). */
  static final long BUS_TIMEOUT_MS = 10_000;

  private static final Logger LOG = LoggerFactory.getLogger(JsonAnswers.class);

  private JsonAnswers() {}

  /** Answers with the reply to {@code query} on {@code address}, without its schema stamp. */
  static void ask(
      Vertx vertx, RoutingContext ctx, String address, JsonObject query, long timeoutMs) {
    vertx
        .eventBus()
        .<JsonObject>request(address, query, MessageSchema.localDelivery(timeoutMs))
        .map(Message::body)
        .map(MessageSchema::unstamp)
        .onSuccess(body -> send(ctx, body))
        .onFailure(failure -> sendFailure(ctx.response(), address, failure));
  }

  /** A verticle's deliberate refusal (404 unknown service, 422 invalid config) passes through. */
  static void sendFailure(HttpServerResponse response, String address, Throwable failure) {
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

  static void send(RoutingContext ctx, JsonObject body) {
    send(ctx.response(), body.toBuffer());
  }

  static void send(RoutingContext ctx, Buffer body) {
    send(ctx.response(), body);
  }

  static void send(HttpServerResponse response, Buffer body) {
    // Added, not put: nothing sets a content type before the answer, and a put first searches
    // the headers for one to replace (9 % of the status path's CPU).
    response.headers().add(HttpHeaders.CONTENT_TYPE, JSON);
    response.end(body);
  }
}
