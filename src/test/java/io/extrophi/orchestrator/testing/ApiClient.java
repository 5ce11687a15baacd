package io.extrophi.orchestrator.testing;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.assertj.core.api.Assertions;

/**
 * The orchestrator's HTTP API on 127.0.0.1, as tests call it. Every response is validated against
 * the OpenAPI document ({@link ApiContract}) before the test sees it.
 */
public final class ApiClient {

  private static final long POLL_MS = 20;

  private final Vertx vertx;
  private final WebClient client;
  private final int port;

  public ApiClient(Vertx vertx, int port) {
    this.vertx = vertx;
    // Redirects are answers of their own here, checked against the contract like any other.
    this.client = WebClient.create(vertx, new WebClientOptions().setFollowRedirects(false));
    this.port = port;
  }

  public Future<HttpResponse<Buffer>> get(String path) {
    return send(HttpMethod.GET, path);
  }

  public Future<HttpResponse<Buffer>> send(HttpMethod method, String path) {
    return send(method, path, Map.of());
  }

  /** A request with these headers. */
  public Future<HttpResponse<Buffer>> send(
      HttpMethod method, String path, Map<String, String> headers) {
    HttpRequest<Buffer> request = client.request(method, port, "127.0.0.1", path);
    headers.forEach(request::putHeader);
    return request.send().map(response -> ApiContract.validated(method, path, response));
  }

  /**
   * Polls {@code GET /health/status} until its body satisfies {@code condition}; the test's own
   * timeout bounds a condition that never holds.
   */
  public Future<JsonObject> statusUntil(Predicate<JsonObject> condition) {
    return getUntil("/health/status", condition);
  }

  /**
   * Polls {@code GET path} until its JSON body satisfies {@code condition}; the test's own timeout
   * bounds a condition that never holds.
   */
  public Future<JsonObject> getUntil(String path, Predicate<JsonObject> condition) {
    return get(path)
        .compose(
            response -> {
              JsonObject body = response.bodyAsJsonObject();
              return condition.test(body)
                  ? Future.succeededFuture(body)
                  : Eventually.after(vertx, POLL_MS).compose(waited -> getUntil(path, condition));
            });
  }

  /** One service's entry in a status body, {@code null} when the service is not listed. */
  public static JsonObject service(JsonObject status, String name) {
    return status.getJsonObject("services").getJsonObject(name);
  }

  /**
   * Checks fields of one service's entry in a status body ({@link #service}), given as {@code
   * "key=value, ..."}: all in one assertion, which shows every one of them when one differs.
   */
  public static void assertFields(JsonObject service, String expected) {
    String actual =
        Arrays.stream(expected.split(", "))
            .map(field -> field.substring(0, field.indexOf('=')))
            .map(key -> key + "=" + service.getValue(key))
            .collect(Collectors.joining(", "));
    Assertions.assertThat(actual).isEqualTo(expected);
  }

  /** {@code total_checks} of one service in a status body, 0 when the service is not listed. */
  public static long totalChecks(JsonObject status, String service) {
    JsonObject entry = service(status, service);
    return entry == null ? 0 : entry.getLong("total_checks");
  }

  public void close() {
    client.close();
  }
}
