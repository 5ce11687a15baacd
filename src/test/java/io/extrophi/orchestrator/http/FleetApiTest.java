package io.extrophi.orchestrator.http;

import static io.extrophi.orchestrator.testing.ApiClient.totalChecks;
import static io.extrophi.orchestrator.testing.Await.await;
import static io.extrophi.orchestrator.testing.JsonErrorAnswer.assertJsonError;
import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.testing.ApiClient;
import io.extrophi.orchestrator.testing.Eventually;
import io.extrophi.orchestrator.testing.InProcessOrchestrator;
import io.extrophi.orchestrator.testing.IntegrationTest;
import io.extrophi.orchestrator.testing.TargetServer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The per-service endpoints and reloads through the API, against a fleet declared in a real
 * configuration file that the test rewrites.
 */
@ExtendWith(VertxExtension.class)
@IntegrationTest
class FleetApiTest {

  private static final String ALPHA_TAGS = "[critical, api]";

  @TempDir Path dir;

  private TargetServer alpha;
  private TargetServer beta;
  private ApiClient api;

  @BeforeEach
  void startOrchestrator(Vertx vertx) throws Exception {
    alpha = await(TargetServer.start(vertx));
    beta = await(TargetServer.start(vertx)).respondWith(503);
    Path config =
        writeConfig(
            service("alpha", alpha.url(), ALPHA_TAGS),
            service("beta", beta.url(), "[api]") + "    connection: reuse\n");
    // Every trigger of these tests must probe.
    InProcessOrchestrator.Builder orchestrator =
        InProcessOrchestrator.on(vertx).configFile(config).set("TRIGGER_MIN_GAP", "0");
    api = await(orchestrator.start()).api();
    // Both start-up probes have completed: later triggers send probes of their own.
    await(
        api.statusUntil(body -> totalChecks(body, "alpha") >= 1 && totalChecks(body, "beta") >= 1));
  }

  @Test
  void oneServiceStatusHasItsNameAndFields() throws Exception {
    HttpResponse<Buffer> response = await(api.get("/health/status/alpha"));

    assertThat(response.statusCode()).isEqualTo(200);
    JsonObject body = response.bodyAsJsonObject();
    assertThat(body.getString("name")).isEqualTo("alpha");
    assertThat(body.getString("health")).isEqualTo("healthy");
    assertThat(body.getJsonObject("latency").getLong("samples")).isEqualTo(1);
    assertThat(body.getJsonObject("availability").getDouble("1h")).isEqualTo(100.0);
  }

  @Test
  void oneServiceStatusShowsItsCheckDefinition() throws Exception {
    JsonObject check =
        await(api.get("/health/status/alpha")).bodyAsJsonObject().getJsonObject("check");

    assertThat(check)
        .isEqualTo(
            new JsonObject()
                .put("url", alpha.url())
                .put("method", "GET")
                .put("interval_ms", 600_000)
                .put("timeout_ms", 2_000)
                .put("expected_status", new JsonArray().add("200-299"))
                .putNull("body")
                .put("tags", new JsonArray().add("critical").add("api"))
                .put("connection", "fresh"));
  }

  @Test
  void theFleetListingShowsEveryCheckInConfiguredOrderAndTheSnapshotKeepsItsShape()
      throws Exception {
    HttpResponse<Buffer> listing = await(api.get("/health/services"));
    assertThat(listing.statusCode()).isEqualTo(200);
    JsonArray services = listing.bodyAsJsonObject().getJsonArray("services");
    assertThat(services.stream().map(s -> ((JsonObject) s).getString("name")))
        .containsExactly("alpha", "beta");
    JsonObject betaCheck = services.getJsonObject(1).getJsonObject("check");
    assertThat(betaCheck.getString("url")).isEqualTo(beta.url());
    assertThat(betaCheck.getJsonArray("tags")).containsExactly("api");
    assertThat(betaCheck.getString("connection")).isEqualTo("reuse");

    JsonObject detail = await(api.get("/health/status/beta")).bodyAsJsonObject();
    assertThat(detail.getJsonObject("check").getString("url")).isEqualTo(beta.url());

    JsonObject status = await(api.get("/health/status")).bodyAsJsonObject();
    assertThat(status.fieldNames()).containsExactly("timestamp", "services", "overall_health");
    assertThat(status.getJsonObject("services").getJsonObject("alpha").fieldNames())
        .doesNotContain("check");
  }

  @Test
  void theCheckShownFollowsAReloadedUrlRedacted() throws Exception {
    String secretUrl = "http://probe:pw@127.0.0.1:" + alpha.port() + "/ready?token=abc&verbose";
    String shown = "http://***@127.0.0.1:" + alpha.port() + "/ready?token=***&***";
    writeConfig(
        service("alpha", secretUrl, ALPHA_TAGS),
        service("beta", beta.url(), "[api]") + "    connection: reuse\n");

    assertThat(reload().getJsonArray("changed")).containsExactly("alpha");
    // The status verticle applies a reload on its own context: polled until it has.
    await(
        api.getUntil(
            "/health/status/alpha",
            body -> shown.equals(body.getJsonObject("check").getString("url"))));
    HttpResponse<Buffer> listing = await(api.get("/health/services"));
    String listed =
        listing
            .bodyAsJsonObject()
            .getJsonArray("services")
            .getJsonObject(0)
            .getJsonObject("check")
            .getString("url");
    assertThat(listed).isEqualTo(shown);
    assertThat(listing.bodyAsString()).doesNotContain("pw", "abc");
  }

  @Test
  void scheduleShowsLagMissedSlotsAndTheInFlightCap() throws Exception {
    HttpResponse<Buffer> response = await(api.get("/health/schedule"));

    assertThat(response.statusCode()).isEqualTo(200);
    JsonObject body = response.bodyAsJsonObject();
    assertThat(body.fieldNames())
        .containsExactly("lag", "missed_slots", "in_flight", "waiting", "connection_wait");
    assertThat(body.getJsonObject("lag").fieldNames())
        .contains("p50_ms", "p99_ms", "max_ms", "samples");
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "GET, /health/status/nope",
    "POST, /health/trigger/nope",
    "GET, /health/history/nope",
  })
  void anUnknownServiceIsAJsonNotFoundEverywhere(String method, String path) throws Exception {
    HttpResponse<Buffer> response = await(api.send(HttpMethod.valueOf(method), path));

    assertThat(assertJsonError(response, 404, "not_found").getString("message"))
        .isEqualTo("no service named nope");
  }

  @Test
  void triggeringOneServiceProbesOnlyThatService() throws Exception {
    int betaBefore = beta.requests();

    JsonObject body = await(api.send(HttpMethod.POST, "/health/trigger/alpha")).bodyAsJsonObject();

    assertThat(body.getString("name")).isEqualTo("alpha");
    assertThat(body.getLong("total_checks")).isEqualTo(2);
    assertThat(alpha.requests()).isEqualTo(2);
    assertThat(beta.requests()).isEqualTo(betaBefore);
  }

  @ParameterizedTest(name = "?{0}: {1}, {2}")
  @CsvSource({
    "tag=critical, alpha, healthy",
    "tag=api, alpha beta, degraded",
    "'health=unhealthy,circuit_open', beta, degraded",
  })
  void statusCanBeFilteredByTagOrHealth(String query, String services, String overallHealth)
      throws Exception {
    JsonObject body = await(api.get("/health/status?" + query)).bodyAsJsonObject();

    assertThat(body.getJsonObject("services").fieldNames())
        .containsExactlyElementsOf(List.of(services.split(" ")));
    assertThat(body.getString("overall_health")).isEqualTo(overallHealth);
    // Unpaged, so there is no cursor at all.
    assertThat(body.containsKey("next_cursor")).isFalse();
  }

  @Test
  void statusIsPagedInNameOrder() throws Exception {
    JsonObject first = await(api.get("/health/status?limit=1")).bodyAsJsonObject();
    assertThat(first.getJsonObject("services").fieldNames()).containsExactly("alpha");
    assertThat(first.getString("next_cursor")).isNotBlank();

    JsonObject second =
        await(api.get("/health/status?limit=1&cursor=" + first.getString("next_cursor")))
            .bodyAsJsonObject();
    assertThat(second.getJsonObject("services").fieldNames()).containsExactly("beta");
    assertThat(second.containsKey("next_cursor")).isTrue();
    assertThat(second.getValue("next_cursor")).isNull();
  }

  @ParameterizedTest(name = "?{0}")
  @CsvSource({"health=sick, health", "limit=0, limit", "cursor=not-ours, cursor"})
  void aBadStatusParameterIsAJsonBadRequestNamingIt(String query, String parameter)
      throws Exception {
    HttpResponse<Buffer> response = await(api.get("/health/status?" + query));

    assertThat(assertJsonError(response, 400, "bad_request").getString("message"))
        .startsWith(parameter + " ");
  }

  @Test
  void historyListsTheLatestResultsNewestFirstWithinTheLimit() throws Exception {
    await(api.send(HttpMethod.POST, "/health/trigger/beta"));
    await(api.send(HttpMethod.POST, "/health/trigger/beta"));

    JsonObject limited = await(api.get("/health/history/beta?limit=2")).bodyAsJsonObject();
    assertThat(limited.getString("name")).isEqualTo("beta");
    JsonArray results = limited.getJsonArray("results");
    assertThat(results).hasSize(2);
    String newest = results.getJsonObject(0).getString("checked_at");
    String older = results.getJsonObject(1).getString("checked_at");
    assertThat(newest).isGreaterThanOrEqualTo(older);
    assertThat(results.getJsonObject(0).getString("error_message")).isEqualTo("HTTP 503");
    JsonObject all = await(api.get("/health/history/beta")).bodyAsJsonObject();
    assertThat(all.getJsonArray("results")).hasSize(3);
    assertJsonError(await(api.get("/health/history/beta?limit=zero")), 400, "bad_request");
  }

  @Test
  void aReloadAddsRemovesAndKeepsServicesLosingNothing(Vertx vertx) throws Exception {
    TargetServer gamma = await(TargetServer.start(vertx));
    // alpha unchanged, beta removed, gamma added.
    writeConfig(service("alpha", alpha.url(), ALPHA_TAGS), service("gamma", gamma.url(), "[]"));

    JsonObject reloaded = reload();
    assertThat(reloaded.getString("status")).isEqualTo("applied");
    assertThat(reloaded.getJsonArray("added")).containsExactly("gamma");
    assertThat(reloaded.getJsonArray("removed")).containsExactly("beta");
    assertThat(reloaded.getJsonArray("changed")).isEmpty();
    await(Eventually.until(vertx, () -> gamma.requests() >= 1, 10_000));
    JsonObject status = await(api.statusUntil(body -> totalChecks(body, "gamma") >= 1));
    assertThat(status.getJsonObject("services").fieldNames()).containsExactly("alpha", "gamma");
    // alpha kept its statistics and was not probed again by the reload.
    assertThat(totalChecks(status, "alpha")).isEqualTo(1);
    assertThat(alpha.requests()).isEqualTo(1);
  }

  @Test
  void aChangedCheckGetsAFreshCircuitWhileUnchangedServicesKeepTheirs(Vertx vertx)
      throws Exception {
    // Four more failures open beta's circuit (threshold 5).
    for (int i = 0; i < 4; i++) {
      await(api.send(HttpMethod.POST, "/health/trigger/beta"));
    }
    assertThat(beta.requests()).isEqualTo(5);
    writeConfig(
        service("alpha", alpha.url(), ALPHA_TAGS),
        service("beta", beta.url(), "[api]") + "    timeout: 3\n");

    assertThat(reload().getJsonArray("changed")).containsExactly("beta");
    // The fresh circuit probes at once.
    await(Eventually.until(vertx, () -> beta.requests() == 6, 10_000));
    JsonObject status = await(api.statusUntil(body -> totalChecks(body, "beta") == 6));
    JsonObject betaStatus = status.getJsonObject("services").getJsonObject("beta");
    assertThat(betaStatus.getString("circuit_breaker_state")).isEqualTo("closed");
    assertThat(betaStatus.getString("health")).isEqualTo("unhealthy");
    assertThat(totalChecks(status, "alpha")).isEqualTo(1);
  }

  @Test
  void anInvalidReloadIsRejectedWholeAndShownUntilFixed() throws Exception {
    writeConfig(
        service("alpha", alpha.url(), ALPHA_TAGS),
        "  - name: Bad Name\n    url: http://127.0.0.1:1/health\n");

    HttpResponse<Buffer> rejected = await(api.send(HttpMethod.POST, "/config/reload"));
    assertThat(rejected.statusCode()).isEqualTo(422);
    assertThat(rejected.bodyAsJsonObject().getString("message"))
        .contains("services[1].name")
        .contains("Bad Name");
    JsonObject status = await(api.get("/health/status")).bodyAsJsonObject();
    // The last good configuration is still in force.
    assertThat(status.getJsonObject("services").fieldNames()).containsExactly("alpha", "beta");
    assertThat(status.getString("config_error")).contains("services[1].name");

    writeConfig(service("alpha", alpha.url(), ALPHA_TAGS));
    reload();
    // The status verticle clears the error on its own context, maybe after the reply.
    JsonObject fixed = await(api.statusUntil(body -> !body.containsKey("config_error")));
    assertThat(fixed.getJsonObject("services").fieldNames()).containsExactly("alpha");
  }

  /** {@code POST /config/reload}, which must succeed; its body. */
  private JsonObject reload() throws Exception {
    HttpResponse<Buffer> reloaded = await(api.send(HttpMethod.POST, "/config/reload"));
    assertThat(reloaded.statusCode()).isEqualTo(200);
    return reloaded.bodyAsJsonObject();
  }

  private static String service(String name, String url, String tags) {
    return "  - name: " + name + "\n    url: " + url + "\n    tags: " + tags + "\n";
  }

  /** (Re)writes the configuration file the orchestrator reads; its path. */
  private Path writeConfig(String... services) throws IOException {
    return Files.writeString(dir.resolve("config.yaml"), "services:\n" + String.join("", services));
  }
}
