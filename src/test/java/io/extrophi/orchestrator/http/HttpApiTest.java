package io.extrophi.orchestrator.http;

import static io.extrophi.orchestrator.testing.Await.await;
import static io.extrophi.orchestrator.testing.Checked.thenComplete;
import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.MainVerticle;
import io.extrophi.orchestrator.testing.ApiClient;
import io.extrophi.orchestrator.testing.InProcessOrchestrator;
import io.extrophi.orchestrator.testing.IntegrationTest;
import io.extrophi.orchestrator.testing.TargetServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The whole service as deployed by {@link MainVerticle}, configured through its real configuration
 * loader, with a healthy, a failing and an unreachable target.
 */
@ExtendWith(VertxExtension.class)
@IntegrationTest
class HttpApiTest {

  private TargetServer healthy;
  private TargetServer failing;
  private ApiClient api;
  private int port;
  private Vertx vertx;

  @BeforeEach
  void startOrchestrator(Vertx vertx) throws Exception {
    this.vertx = vertx;
    healthy = await(TargetServer.start(vertx));
    failing = await(TargetServer.start(vertx)).respondWith(503);
    InProcessOrchestrator orchestrator =
        await(
            InProcessOrchestrator.on(vertx)
                .monitoring(healthy.url(), failing.url(), TargetServer.unreachableUrl())
                .start());
    port = orchestrator.port();
    api = orchestrator.api();
  }

  @Test
  void rootDescribesTheService(VertxTestContext test) {
    api.get("/")
        .onComplete(
            thenComplete(
                test,
                response -> {
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
                }));
  }

  @Test
  void healthIsTheOrchestratorsOwnLiveness(VertxTestContext test) {
    api.get("/health")
        .onComplete(
            thenComplete(
                test,
                response -> {
                  assertThat(response.bodyAsString())
                      .isEqualTo("{\"status\":\"ok\",\"service\":\"orchestrator\"}");
                  assertThat(response.getHeader("content-type")).isEqualTo("application/json");
                }));
  }

  @Test
  void statusReportsEveryServiceInOrderWithTheOverallHealth(VertxTestContext test) {
    firstRoundDone()
        .compose(done -> api.get("/health/status"))
        .onComplete(
            thenComplete(
                test,
                response -> {
                  JsonObject body = response.bodyAsJsonObject();
                  assertThat(body.fieldNames())
                      .containsExactly("timestamp", "services", "overall_health");
                  assertThat(body.getString("timestamp"))
                      .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z");
                  assertThat(body.getString("overall_health")).isEqualTo("degraded");
                  JsonObject services = body.getJsonObject("services");
                  assertThat(services.fieldNames())
                      .containsExactly("writer", "research", "backend");
                  assertThat(services.getJsonObject("writer").getString("health"))
                      .isEqualTo("healthy");
                  JsonObject research = services.getJsonObject("research");
                  assertThat(research.getString("health")).isEqualTo("unhealthy");
                  assertThat(research.getString("error_message")).isEqualTo("HTTP 503");
                  JsonObject backend = services.getJsonObject("backend");
                  assertThat(backend.getString("error_message")).isEqualTo("connection refused");
                  assertThat(backend.getValue("response_time_ms")).isNull();
                  assertThat(backend.getDouble("uptime_percentage")).isEqualTo(0.0);
                }));
  }

  @Test
  void triggerChecksEveryServiceNowAndReturnsTheResults(VertxTestContext test) {
    firstRoundDone()
        .compose(done -> api.send(HttpMethod.POST, "/health/trigger"))
        .onComplete(
            thenComplete(
                test,
                response -> {
                  assertThat(response.statusCode()).isEqualTo(200);
                  JsonObject body = response.bodyAsJsonObject();
                  assertThat(body.fieldNames()).containsExactly("timestamp", "services");
                  for (String name : List.of("writer", "research", "backend")) {
                    assertThat(
                            body.getJsonObject("services")
                                .getJsonObject(name)
                                .getLong("total_checks"))
                        .isEqualTo(2);
                  }
                  assertThat(healthy.requests()).isEqualTo(2);
                  assertThat(failing.requests()).isEqualTo(2);
                }));
  }

  @Test
  void statusIsNeverServedOlderThanAChangeBeforeIt(VertxTestContext test) {
    firstRoundDone()
        // The first answer leaves an encoded snapshot for the ones after it.
        .compose(done -> api.get("/health/status"))
        .compose(
            first -> {
              healthy.respondWith(503);
              return api.send(HttpMethod.POST, "/health/trigger/writer");
            })
        .compose(triggered -> api.get("/health/status"))
        .onComplete(
            thenComplete(
                test,
                response -> {
                  JsonObject writer =
                      response.bodyAsJsonObject().getJsonObject("services").getJsonObject("writer");
                  assertThat(writer.getString("health")).isEqualTo("unhealthy");
                  assertThat(writer.getLong("total_checks")).isEqualTo(2);
                  assertThat(writer.getString("error_message")).isEqualTo("HTTP 503");
                }));
  }

  @Test
  void anUnknownPathIsAJsonNotFound(VertxTestContext test) {
    api.get("/health/nope")
        .onComplete(
            thenComplete(
                test,
                response -> {
                  assertThat(response.statusCode()).isEqualTo(404);
                  assertThat(response.getHeader("content-type")).isEqualTo("application/json");
                  assertThat(response.bodyAsJsonObject().getString("error")).isEqualTo("not_found");
                  assertThat(response.bodyAsJsonObject().getInteger("status")).isEqualTo(404);
                }));
  }

  @Test
  void aWrongMethodOnAPathTheRouterNormalizesListsThatRoutesMethods(VertxTestContext test) {
    api.send(HttpMethod.DELETE, "//")
        .onComplete(
            thenComplete(
                test,
                response -> {
                  assertThat(response.statusCode()).isEqualTo(405);
                  assertThat(response.getHeader("allow")).isEqualTo("GET, HEAD");
                }));
  }

  @Test
  void aWrongMethodIsAJsonMethodNotAllowedWithAnAllowHeader(VertxTestContext test) {
    api.send(HttpMethod.POST, "/health")
        .compose(
            postHealth -> {
              test.verify(
                  () -> {
                    assertThat(postHealth.statusCode()).isEqualTo(405);
                    assertThat(postHealth.getHeader("allow")).isEqualTo("GET, HEAD");
                    assertThat(postHealth.bodyAsJsonObject().getString("error"))
                        .isEqualTo("method_not_allowed");
                  });
              return api.send(HttpMethod.GET, "/health/trigger");
            })
        .compose(
            getTrigger -> {
              test.verify(
                  () -> {
                    assertThat(getTrigger.statusCode()).isEqualTo(405);
                    assertThat(getTrigger.getHeader("allow")).isEqualTo("POST");
                    assertThat(getTrigger.getHeader("content-type")).isEqualTo("application/json");
                  });
              return api.send(HttpMethod.DELETE, "/health/status");
            })
        .onComplete(
            thenComplete(
                test,
                deleteStatus -> {
                  assertThat(deleteStatus.statusCode()).isEqualTo(405);
                  assertThat(deleteStatus.getHeader("allow")).isEqualTo("GET, HEAD");
                }));
  }

  @Test
  void headAnswersLikeGetWithoutABody(VertxTestContext test) {
    api.send(HttpMethod.HEAD, "/health/status")
        .onComplete(
            thenComplete(
                test,
                response -> {
                  assertThat(response.statusCode()).isEqualTo(200);
                  assertThat(response.getHeader("content-type")).isEqualTo("application/json");
                  assertThat(response.body()).isNull();
                }));
  }

  @Test
  void anUndecodablePathIsAJsonBadRequest(VertxTestContext test) {
    api.get("/%zz")
        .onComplete(
            thenComplete(
                test,
                response -> {
                  assertThat(response.statusCode()).isEqualTo(400);
                  assertThat(response.getHeader("content-type")).isEqualTo("application/json");
                  assertThat(response.bodyAsJsonObject().getString("error"))
                      .isEqualTo("bad_request");
                }));
  }

  @Test
  void bytesThatAreNotHttpGetAJsonBadRequestAndTheConnectionIsClosed(VertxTestContext test) {
    Buffer received = Buffer.buffer();
    vertx
        .createNetClient()
        .connect(port, "127.0.0.1")
        .onComplete(
            test.succeeding(
                socket -> {
                  socket.handler(received::appendBuffer);
                  socket.closeHandler(
                      closed ->
                          test.verify(
                              () -> {
                                String answer = received.toString();
                                assertThat(answer).startsWith("HTTP/1.1 400 Bad Request");
                                assertThat(answer).contains("application/json");
                                assertThat(answer.substring(answer.indexOf("\r\n\r\n") + 4))
                                    .isEqualTo(
                                        "{\"error\":\"bad_request\",\"message\":\"the request"
                                            + " is not valid HTTP\",\"status\":400}");
                                test.completeNow();
                              }));
                  socket.write("GET /health HTTP/1.1\r\nBad Header Without Colon\r\n\r\n");
                }));
  }

  /** Every service's start-up probe has completed, so later triggers send probes of their own. */
  private Future<Void> firstRoundDone() {
    return api.statusUntil(
            body ->
                body.getJsonObject("services").stream()
                    .allMatch(
                        entry -> ((JsonObject) entry.getValue()).getLong("total_checks") >= 1))
        .mapEmpty();
  }
}
