package io.extrophi.orchestrator.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.util.Locale;

/**
 * The one JSON error shape of the API: {@code {"error":"not_found","message":"…","status":404}},
 * where {@code error} is the status's reason phrase in snake case. Messages are written for
 * clients; exception details and stack traces stay in the log.
 */
final class ApiError {

  private ApiError() {}

  static void send(HttpServerResponse response, int status, String message) {
    if (response.ended() || response.closed()) {
      return;
    }
    JsonObject body =
        new JsonObject().put("error", slug(status)).put("message", message).put("status", status);
    response
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, JsonAnswers.JSON)
        .end(body.encode());
  }

  /**
   * Replaces Vert.x's default answer to a request that is not valid HTTP (an empty body): same
   * status codes, but in the API's JSON shape, and the connection is closed as before because the
   * stream cannot be trusted.
   */
  static void invalidRequest(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    int status = HttpResponseStatus.BAD_REQUEST.code();
    String message = "the request is not valid HTTP";
    if (cause instanceof TooLongHttpLineException) {
      status = HttpResponseStatus.REQUEST_URI_TOO_LONG.code();
      message = "the request line is too long";
    } else if (cause instanceof TooLongHttpHeaderException) {
      status = HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE.code();
      message = "the request headers are too large";
    }
    send(request.response(), status, message);
    request.connection().close();
  }

  static String slug(int status) {
    return HttpResponseStatus.valueOf(status)
        .reasonPhrase()
        .toLowerCase(Locale.ROOT)
        .replaceAll("[^a-z0-9]+", "_")
        .replaceAll("^_|_$", "");
  }
}
