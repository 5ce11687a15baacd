package io.extrophi.orchestrator.testing;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * A Server-Sent Events client of the orchestrator's {@code GET /health/events} on 127.0.0.1: reads
 * the stream as a browser's EventSource does (events separated by a blank line, {@code event:} and
 * {@code data:} fields, comments ignored) and keeps every event it received.
 */
public final class SseClient {

  /** One event: its name and its data, parsed as JSON. */
  public record Event(String name, JsonObject data) {}

  private final Vertx vertx;
  private final HttpClient client;
  private final List<Event> events = new CopyOnWriteArrayList<>();
  private final List<String> malformed = new CopyOnWriteArrayList<>();
  private final StringBuilder pending = new StringBuilder();
  private final StringBuilder complete = new StringBuilder();
  private String uri;
  private boolean checked;
  private volatile int retryMs = -1;
  private HttpClientResponse response;

  private SseClient(Vertx vertx) {
    this.vertx = vertx;
    this.client = vertx.createHttpClient();
  }

  /**
   * Connects to the orchestrator's API; the future completes with the response head (status and
   * headers) received. What it received is checked against the API contract when it closes.
   */
  public static Future<SseClient> connect(Vertx vertx, int port, String pathAndQuery) {
    return connect(vertx, port, pathAndQuery, true);
  }

  /**
   * Connects to a stream that is not the orchestrator's API (a test's own server with made-up
   * snapshots), so nothing is checked against the contract.
   */
  public static Future<SseClient> connectOutsideTheApi(Vertx vertx, int port, String pathAndQuery) {
    return connect(vertx, port, pathAndQuery, false);
  }

  private static Future<SseClient> connect(
      Vertx vertx, int port, String pathAndQuery, boolean checked) {
    SseClient sse = new SseClient(vertx);
    sse.uri = pathAndQuery;
    sse.checked = checked;
    return sse.client
        .request(
            new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setHost("127.0.0.1")
                .setPort(port)
                .setURI(pathAndQuery)
                .addHeader("Accept", "text/event-stream"))
        .compose(request -> request.send())
        .map(
            response -> {
              sse.response = response;
              response.handler(sse::onBytes);
              return sse;
            });
  }

  public HttpClientResponse response() {
    return response;
  }

  public List<Event> events() {
    return List.copyOf(events);
  }

  /** Lines that are not SSE fields or comments; none in a well-formed stream. */
  public List<String> malformed() {
    return List.copyOf(malformed);
  }

  public int retryMs() {
    return retryMs;
  }

  /** Completes with the first event received (or already received) that satisfies {@code test}. */
  public Future<Event> next(Predicate<Event> test) {
    return Eventually.until(vertx, () -> events.stream().anyMatch(test), 15_000)
        .map(found -> events.stream().filter(test).findFirst().orElseThrow());
  }

  /**
   * Closes the connection, as a browser tab that goes away does, then checks the whole stream
   * received (every complete event) against the API contract.
   */
  public Future<Void> close() {
    return client
        .close()
        .map(
            closed -> {
              if (checked && response != null) {
                ApiContract.validate(
                    HttpMethod.GET,
                    uri,
                    response.statusCode(),
                    response.headers(),
                    Buffer.buffer(complete.toString()));
              }
              return null;
            });
  }

  private void onBytes(Buffer bytes) {
    pending.append(bytes.toString(StandardCharsets.UTF_8));
    int end;
    while ((end = pending.indexOf("\n\n")) >= 0) {
      String block = pending.substring(0, end);
      complete.append(pending, 0, end + 2);
      pending.delete(0, end + 2);
      onBlock(block);
    }
  }

  private void onBlock(String block) {
    String name = "message";
    StringBuilder data = null;
    for (String line : block.split("\n")) {
      if (line.startsWith(":")) {
        continue;
      }
      if (line.startsWith("event: ")) {
        name = line.substring("event: ".length());
      } else if (line.startsWith("data: ")) {
        data = (data == null ? new StringBuilder() : data.append('\n')).append(line.substring(6));
      } else if (line.startsWith("retry: ")) {
        retryMs = Integer.parseInt(line.substring("retry: ".length()));
      } else {
        malformed.add(line);
      }
    }
    if (data != null) {
      events.add(new Event(name, new JsonObject(data.toString())));
    }
  }
}
