package io.extrophi.orchestrator.http;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * The one JSON error shape of the API: {@code {"error":"not_found","message":"…","status":404}}.
 * Messages are written for clients; exception details and stack traces stay in the log.
 */
final class ApiError {

  private ApiError() {}

  static void send(RoutingContext context, int status, String error, String message) {
    if (context.response().ended() || context.response().closed()) {
      return;
    }
    JsonObject body =
        new JsonObject().put("error", error).put("message", message).put("status", status);
    context
        .response()
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, HttpApiVerticle.JSON)
        .end(body.encode());
  }
}
