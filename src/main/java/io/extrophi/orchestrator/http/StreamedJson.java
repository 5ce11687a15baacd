package io.extrophi.orchestrator.http;

import io.extrophi.orchestrator.view.EncodedSnapshot;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.time.Instant;

/**
 * Writes an {@link EncodedSnapshot} as the answer, a chunk at a time as the connection takes them:
 * at 100,000 services the document is 40 MB, and neither it nor the answer is ever held whole. The
 * bytes and headers are those of a single buffer's answer: the {@code Content-Length} is known
 * before the first chunk, so the answer is not chunked on the wire (unless it is compressed, which
 * works as before).
 */
final class StreamedJson {

  /** The size of each piece of a document written in pieces. */
  static final int CHUNK_BYTES = 64 * 1024;

  /**
   * A document this size or smaller (about 2,500 services) is written in one piece, as before: the
   * copy is transient and small, and one write serves a busy dashboard about twice as fast as 64 KB
   * pieces each waiting for the connection to drain.
   */
  static final int WHOLE_BYTES = 1024 * 1024;

  private final HttpServerResponse response;
  private final EncodedSnapshot.Reading body;

  private StreamedJson(HttpServerResponse response, EncodedSnapshot.Reading body) {
    this.response = response;
    this.body = body;
  }

  /** Answers {@code request} with {@code snapshot} stamped with {@code now}. */
  static void send(HttpServerRequest request, EncodedSnapshot snapshot, Instant now) {
    HttpServerResponse response = request.response();
    EncodedSnapshot.Reading body = snapshot.at(now);
    if (body.length() <= WHOLE_BYTES) {
      JsonAnswers.send(response, body.next(body.length()));
      return;
    }
    response.headers().add(HttpHeaders.CONTENT_TYPE, JsonAnswers.JSON);
    response.headers().add(HttpHeaders.CONTENT_LENGTH, String.valueOf(body.length()));
    if (request.method() == HttpMethod.HEAD) {
      // Vert.x would drop every byte of it: the length is all a HEAD answer needs.
      response.end();
      return;
    }
    new StreamedJson(response, body).writeWhileTaken();
  }

  /**
   * Writes until the connection's queue is full, then again when it has drained: the process holds
   * at most about a queue's worth of the answer at a time, however slowly the client reads.
   */
  private void writeWhileTaken() {
    while (body.hasNext()) {
      if (response.closed()) {
        // The client went away: the rest is not wanted.
        return;
      }
      if (response.writeQueueFull()) {
        response.drainHandler(drained -> writeWhileTaken());
        return;
      }
      response.write(body.next(CHUNK_BYTES));
    }
    response.end();
  }
}
