package io.extrophi.orchestrator.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.Operation;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The contract check itself, on hand-made responses: what the document describes passes, and each
 * kind of drift (an undocumented path, method, status, field, value, header or content type) fails.
 */
@UnitTest
class ApiContractTest {

  private static final String JSON = "application/json";
  private static final String SERVICE =
      "{\"health\":\"healthy\",\"last_check\":\"2026-11-24T00:23:11.645853Z\","
          + "\"response_time_ms\":4.37,\"error_message\":null,\"consecutive_failures\":0,"
          + "\"total_checks\":8,\"successful_checks\":8,\"uptime_percentage\":100.0,"
          + "\"circuit_breaker_state\":\"closed\",\"latency\":{\"p50_ms\":null,\"p95_ms\":null,"
          + "\"p99_ms\":null,\"max_ms\":null,\"samples\":0},\"availability\":{\"1h\":100.0,"
          + "\"24h\":null,\"7d\":null,\"30d\":null},\"root_cause\":null,"
          + "\"reported_status\":null,\"components\":[]}";
  private static final String CHECK =
      "{\"url\":\"http://***@127.0.0.1:8000/health?token=***\",\"method\":\"GET\","
          + "\"interval_ms\":10000,\"timeout_ms\":5000,\"expected_status\":[\"200-299\"],"
          + "\"body\":{\"json_pointer\":\"/status\",\"equals\":\"UP\"},\"tags\":[],\"connection\":\"fresh\"}";
  private static final String SNAPSHOT =
      "{\"timestamp\":\"2026-11-24T00:23:12.378434Z\",\"services\":{\"writer\":"
          + SERVICE
          + "},\"overall_health\":\"healthy\"}";

  private final ApiContract contract = ApiContract.get();

  @Test
  void theDocumentIsReadAsAnOpenApi31Contract() {
    assertThat(contract.openApi().operations())
        .extracting(Operation::getOperationId)
        .doesNotContainNull()
        .contains("getStatus", "headStatus", "triggerChecks", "getOpenApiJson");
  }

  @Test
  void aDocumentedResponsePasses() {
    assertThatCode(() -> validate(HttpMethod.GET, "/health/status", 200, JSON, SNAPSHOT))
        .doesNotThrowAnyException();
    assertThatCode(
            () ->
                validate(
                    HttpMethod.GET,
                    "/health/status/writer",
                    200,
                    JSON,
                    new JsonObject(SERVICE)
                        .put("timestamp", "2026-11-24T00:23:12.378434Z")
                        .put("name", "writer")
                        .put("check", new JsonObject(CHECK))
                        .encode()))
        .doesNotThrowAnyException();
    assertThatCode(
            () ->
                validate(
                    HttpMethod.GET,
                    "/health/services",
                    200,
                    JSON,
                    "{\"services\":[{\"name\":\"writer\",\"check\":" + CHECK + "}]}"))
        .doesNotThrowAnyException();
    assertThatCode(
            () ->
                validate(
                    HttpMethod.GET,
                    "/health/",
                    200,
                    JSON,
                    "{\"status\":\"ok\",\"service\":\"orchestrator\"}"))
        .as("a trailing slash is ignored")
        .doesNotThrowAnyException();
    assertThatCode(() -> validate(HttpMethod.HEAD, "/health/status", 200, JSON, ""))
        .as("HEAD has no body")
        .doesNotThrowAnyException();
  }

  @Test
  void anUndocumentedFieldFails() {
    String extra = new JsonObject(SNAPSHOT).put("uptime", 1).encode();
    assertThatThrownBy(() -> validate(HttpMethod.GET, "/health/status", 200, JSON, extra))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("does not match");
    JsonObject detail =
        new JsonObject(SERVICE)
            .put("timestamp", "2026-11-24T00:23:12.378434Z")
            .put("name", "writer")
            .put("owner", "node-1");
    assertThatThrownBy(
            () -> validate(HttpMethod.GET, "/health/status/writer", 200, JSON, detail.encode()))
        .as("a field beside the composed ones")
        .isInstanceOf(AssertionError.class);
  }

  @Test
  void aMissingFieldAWrongValueOrAWrongNullFails() {
    JsonObject snapshot = new JsonObject(SNAPSHOT);
    JsonObject missing = snapshot.copy();
    missing.getJsonObject("services").getJsonObject("writer").remove("error_message");
    JsonObject badEnum = snapshot.copy().put("overall_health", "fine");
    JsonObject badNull = snapshot.copy();
    badNull.getJsonObject("services").getJsonObject("writer").putNull("total_checks");
    JsonObject badTime = snapshot.copy().put("timestamp", "2026-11-24T00:23:12Z");
    for (JsonObject body : new JsonObject[] {missing, badEnum, badNull, badTime}) {
      assertThatThrownBy(() -> validate(HttpMethod.GET, "/health/status", 200, JSON, body.encode()))
          .as(body.encode())
          .isInstanceOf(AssertionError.class);
    }
  }

  @Test
  void anUndocumentedStatusPathOrMethodFails() {
    assertThatThrownBy(() -> validate(HttpMethod.GET, "/health", 500, JSON, error(500)))
        .hasMessageContaining("status not documented");
    assertThatThrownBy(() -> validate(HttpMethod.GET, "/nope", 200, JSON, "{}"))
        .hasMessageContaining("no documented path");
    assertThatThrownBy(() -> validate(HttpMethod.DELETE, "/health", 200, JSON, "{}"))
        .hasMessageContaining("no documented DELETE");
  }

  private void deleteHealthAnswered405Allowing(String allow) {
    contract.validate(
        HttpMethod.DELETE,
        "/health",
        405,
        headers(Map.of("Content-Type", JSON, "Allow", allow))::get,
        Buffer.buffer(error(405)));
  }

  @Test
  void errorsOfRequestsNoOperationTakesMustBeTheDocumentedOnes() {
    assertThatCode(() -> validate(HttpMethod.GET, "/nope", 404, JSON, error(404)))
        .doesNotThrowAnyException();
    assertThatCode(() -> deleteHealthAnswered405Allowing("GET, HEAD")).doesNotThrowAnyException();
    assertThatThrownBy(() -> deleteHealthAnswered405Allowing("GET"))
        .hasMessageContaining("Allow is GET, documented GET, HEAD");
    assertThatThrownBy(() -> validate(HttpMethod.GET, "/nope", 404, JSON, error(400)))
        .as("an error body whose status differs")
        .hasMessageContaining("does not match");
  }

  @Test
  void aWrongContentTypeOrAMissingRequiredHeaderFails() {
    assertThatThrownBy(
            () ->
                validate(
                    HttpMethod.GET,
                    "/health",
                    200,
                    "text/plain",
                    "{\"status\":\"ok\",\"service\":\"orchestrator\"}"))
        .hasMessageContaining("content type text/plain");
    assertThatThrownBy(() -> validate(HttpMethod.POST, "/health/trigger", 401, JSON, error(401)))
        .hasMessageContaining("no WWW-Authenticate header");
  }

  @Test
  void serverSentEventsAreCheckedEventByEvent() {
    String health =
        "{\"schema_version\":1,\"service\":\"writer\",\"from\":\"healthy\",\"to\":\"unhealthy\","
            + "\"reason\":\"HTTP 503\",\"at\":\"2026-11-24T00:23:12.378434Z\",\"root_cause\":null}";
    String good =
        ": keep-alive\n\nevent: snapshot\ndata: "
            + SNAPSHOT
            + "\n\nevent: health\ndata: "
            + health
            + "\n\nevent: circuit\ndata: {\"cut\": ";
    assertThatCode(() -> validate(HttpMethod.GET, "/health/events", 200, "text/event-stream", good))
        .doesNotThrowAnyException();
    String wrongData = "event: circuit\ndata: " + health + "\n\n";
    assertThatThrownBy(
            () -> validate(HttpMethod.GET, "/health/events", 200, "text/event-stream", wrongData))
        .as("health states are not circuit states")
        .hasMessageContaining("does not match");
    String unknownEvent = "event: hello\ndata: {}\n\n";
    assertThatThrownBy(
            () ->
                validate(HttpMethod.GET, "/health/events", 200, "text/event-stream", unknownEvent))
        .hasMessageContaining("does not match");
  }

  @Test
  void rawAnswersToInvalidRequestsMustBeDocumentedErrors() {
    String answer =
        "HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\n\r\n" + error(400);
    assertThatCode(() -> ApiContract.validateRaw("\u0001\u0002garbage", answer))
        .doesNotThrowAnyException();
    String notFound =
        "HTTP/1.1 404 Not Found\r\ncontent-type: application/json\r\n\r\n" + error(404);
    assertThatThrownBy(() -> ApiContract.validateRaw("\u0001\u0002garbage", notFound))
        .hasMessageContaining("only x-any-request-responses");
    assertThatCode(() -> ApiContract.validateRaw("GET /nope HTTP/1.1\r\nHost: a\r\n\r\n", notFound))
        .doesNotThrowAnyException();
  }

  private void validate(HttpMethod method, String uri, int status, String type, String body) {
    contract.validate(
        method, uri, status, headers(Map.of("Content-Type", type))::get, Buffer.buffer(body));
  }

  private static MultiMap headers(Map<String, String> values) {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    values.forEach(headers::add);
    return headers;
  }

  private static String error(int status) {
    String slug =
        switch (status) {
          case 400 -> "bad_request";
          case 401 -> "unauthorized";
          case 404 -> "not_found";
          case 405 -> "method_not_allowed";
          default -> "internal_server_error";
        };
    return new JsonObject()
        .put("error", slug)
        .put("message", "for the test")
        .put("status", status)
        .encode();
  }
}
