package io.extrophi.orchestrator.http;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/**
 * Bounds request bodies. No endpoint reads a body, so anything larger than {@link #MAX_BYTES} is
 * refused with 413 at once when its {@code Content-Length} says so, or as soon as that many bytes
 * of a chunked body have arrived; the connection is then closed, so the client cannot keep the
 * server reading. Smaller bodies are read and dropped.
 */
final class RequestBodyLimit {

  /** The most bytes of request body accepted. */
  static final long MAX_BYTES = 64 * 1024;

  private RequestBodyLimit() {}

  /**
   * @return whether the request was refused (the response is being sent and must not be touched)
   */
  static boolean rejects(HttpServerRequest request) {
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length != null) {
      long declared;
      try {
        declared = Long.parseLong(length.strip());
      } catch (NumberFormatException malformed) {
        refuse(request, 400, "Content-Length is not a number");
        return true;
      }
      if (declared > MAX_BYTES) {
        refuse(request, 413, tooLarge());
        return true;
      }
      return false;
    }
    if (request.headers().contains(HttpHeaders.TRANSFER_ENCODING)) {
      long[] received = {0};
      request.handler(
          chunk -> {
            received[0] += chunk.length();
            if (received[0] > MAX_BYTES && !request.response().ended()) {
              refuse(request, 413, tooLarge());
            }
          });
    }
    return false;
  }

  private static String tooLarge() {
    return "the request body is larger than " + MAX_BYTES + " bytes; no endpoint takes a body";
  }

  private static void refuse(HttpServerRequest request, int status, String message) {
    request.response().putHeader(HttpHeaders.CONNECTION, "close");
    ApiError.send(request.response(), status, message);
    request.connection().close();
  }
}
