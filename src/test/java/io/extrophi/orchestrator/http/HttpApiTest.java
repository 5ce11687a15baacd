package io.extrophi.orchestrator.http;

import static io.extrophi.orchestrator.testing.Await.await;
import static io.extrophi.orchestrator.testing.JsonErrorAnswer.assertJsonError;
import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.MainVerticle;
import io.extrophi.orchestrator.testing.ApiClient;
import io.extrophi.orchestrator.testing.HealthyAndFailingTargets;
import io.extrophi.orchestrator.testing.InProcessOrchestrator;
import io.extrophi.orchestrator.testing.IntegrationTest;
import io.extrophi.orchestrator.testing.TargetServer;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The whole service as deployed by {@link MainVerticle}, configured through its real configuration
 * loader, with a healthy, a failing and an unreachable target.
 */
@ExtendWith(VertxExtension.class)
@IntegrationTest
class HttpApiTest {

  private HealthyAndFailingTargets targets;
  private ApiClient api;
  private int port;

  @BeforeEach
  void startOrchestrator(Vertx vertx) throws Exception {
    targets = HealthyAndFailingTargets.start(vertx);
    InProcessOrchestrator orchestrator =
        await(
            InProcessOrchestrator.on(vertx)
                .monitoring(
                    targets.healthy().url(), targets.failing().url(), TargetServer.unreachableUrl())
                .start());
    port = orchestrator.port();
    api = orchestrator.api();
  }

  @Test
  void rootDescribesTheService() throws Exception {
    HttpResponse<Buffer> response = await(api.get("/"));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("content-type")).isEqualTo("application/json");
    assertThat(response.bodyAsJsonObject())
        .isEqualTo(
            new JsonObject(
                "{\"service\":\"Orchestrator\",\"version\":\"0.1.0\","
                    + "\"status\":\"running\",\"endpoints\":{\"health\":"
                    + "\"/health\",\"health_status\":\"/health/status\"},"
                    // No DATA_DIR here: nothing is saved, and it says so.
                    + "\"persistence\":{\"state\":\"disabled\","
                    + "\"last_error\":null,\"last_saved\":null,"
                    + "\"failed_writes\":0}}"));
  }

  @Test
  void healthIsTheOrchestratorsOwnLiveness() throws Exception {
    HttpResponse<Buffer> response = await(api.get("/health"));

    assertThat(response.bodyAsString())
        .isEqualTo("{\"status\":\"ok\",\"service\":\"orchestrator\"}");
    assertThat(response.getHeader("content-type")).isEqualTo("application/json");
  }

  @Test
  void statusReportsEveryServiceInOrderWithTheOverallHealth() throws Exception {
    awaitFirstRound();

    JsonObject body = await(api.get("/health/status")).bodyAsJsonObject();

    assertThat(body.fieldNames()).containsExactly("timestamp", "services", "overall_health");
    assertThat(body.getString("timestamp"))
        .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z");
    assertThat(body.getString("overall_health")).isEqualTo("degraded");
    JsonObject services = body.getJsonObject("services");
    assertThat(services.fieldNames()).containsExactly("writer", "research", "backend");
    assertThat(services.getJsonObject("writer").getString("health")).isEqualTo("healthy");
    JsonObject research = services.getJsonObject("research");
    assertThat(research.getString("health")).isEqualTo("unhealthy");
    assertThat(research.getString("error_message")).isEqualTo("HTTP 503");
    JsonObject backend = services.getJsonObject("backend");
    assertThat(backend.getString("error_message")).isEqualTo("connection refused");
    assertThat(backend.getValue("response_time_ms")).isNull();
    assertThat(backend.getDouble("uptime_percentage")).isEqualTo(0.0);
  }

  @Test
  void triggerChecksEveryServiceNowAndReturnsTheResults() throws Exception {
    awaitFirstRound();

    HttpResponse<Buffer> response = await(api.send(HttpMethod.POST, "/health/trigger"));

    assertThat(response.statusCode()).isEqualTo(200);
    JsonObject body = response.bodyAsJsonObject();
    assertThat(body.fieldNames()).containsExactly("timestamp", "services");
    for (String name : List.of("writer", "research", "backend")) {
      assertThat(body.getJsonObject("services").getJsonObject(name).getLong("total_checks"))
          .isEqualTo(2);
    }
    assertThat(targets.healthy().requests()).isEqualTo(2);
    assertThat(targets.failing().requests()).isEqualTo(2);
  }

  @Test
  void statusIsNeverServedOlderThanAChangeBeforeIt() throws Exception {
    awaitFirstRound();
    // The first answer leaves an encoded snapshot for the ones after it.
    await(api.get("/health/status"));
    targets.healthy().respondWith(503);
    await(api.send(HttpMethod.POST, "/health/trigger/writer"));

    JsonObject writer =
        await(api.get("/health/status"))
            .bodyAsJsonObject()
            .getJsonObject("services")
            .getJsonObject("writer");

    assertThat(writer.getString("health")).isEqualTo("unhealthy");
    assertThat(writer.getLong("total_checks")).isEqualTo(2);
    assertThat(writer.getString("error_message")).isEqualTo("HTTP 503");
  }

  @ParameterizedTest(name = "{0} {1} is a JSON {2} {3}")
  @CsvSource({
    "GET, /health/nope, 404, not_found,",
    "GET, /%zz, 400, bad_request,",
    "POST, /health, 405, method_not_allowed, 'GET, HEAD'",
    "GET, /health/trigger, 405, method_not_allowed, POST",
    "DELETE, /health/status, 405, method_not_allowed, 'GET, HEAD'",
    // A path the router normalizes ("//" is "/") lists the methods of the route it matched.
    "DELETE, //, 405, method_not_allowed, 'GET, HEAD'",
  })
  void aRequestNoRouteServesIsAJsonErrorWithTheAllowedMethods(
      String method, String path, int status, String error, String allow) throws Exception {
    HttpResponse<Buffer> response = await(api.send(HttpMethod.valueOf(method), path));

    assertJsonError(response, status, error);
    assertThat(response.getHeader("allow")).isEqualTo(allow);
  }

  @Test
  void headAnswersLikeGetWithoutABody() throws Exception {
    HttpResponse<Buffer> response = await(api.send(HttpMethod.HEAD, "/health/status"));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("content-type")).isEqualTo("application/json");
    assertThat(response.body()).isNull();
  }

  @Test
  void bytesThatAreNotHttpGetAJsonBadRequestAndTheConnectionIsClosed(Vertx vertx) throws Exception {
    Buffer received = Buffer.buffer();
    Promise<Void> closed = Promise.promise();
    await(
        vertx
            .createNetClient()
            .connect(port, "127.0.0.1")
            .compose(
                socket -> {
                  socket.handler(received::appendBuffer);
                  socket.closeHandler(done -> closed.complete());
                  return socket.write("GET /health HTTP/1.1\r\nBad Header Without Colon\r\n\r\n");
                }));
    await(closed.future());

    String answer = received.toString();
    assertThat(answer).startsWith("HTTP/1.1 400 Bad Request");
    assertThat(answer).contains("application/json");
    assertThat(answer.substring(answer.indexOf("\r\n\r\n") + 4))
        .isEqualTo(
            "{\"error\":\"bad_request\",\"message\":\"the request"
                + " is not valid HTTP\",\"status\":400}");
  }

  /** Every service's start-up probe has completed, so later triggers send probes of their own. */
  private void awaitFirstRound() throws Exception {
    await(
        api.statusUntil(
            body ->
                body.getJsonObject("services").stream()
                    .allMatch(
                        entry -> ((JsonObject) entry.getValue()).getLong("total_checks") >= 1)));
  }
}
