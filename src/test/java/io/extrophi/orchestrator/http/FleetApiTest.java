package io.extrophi.orchestrator.http;

import static io.extrophi.orchestrator.testing.Await.await;
import static io.extrophi.orchestrator.testing.Checked.thenComplete;
import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.testing.ApiClient;
import io.extrophi.orchestrator.testing.Eventually;
import io.extrophi.orchestrator.testing.InProcessOrchestrator;
import io.extrophi.orchestrator.testing.IntegrationTest;
import io.extrophi.orchestrator.testing.TargetServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The per-service endpoints and reloads through the API, against a fleet declared in a real
 * configuration file that the test rewrites.
 */
@ExtendWith(VertxExtension.class)
@IntegrationTest
class FleetApiTest {

  @TempDir Path dir;

  private TargetServer alpha;
  private TargetServer beta;
  private ApiClient api;
  private Vertx vertx;
  private Path configFile;

  @BeforeEach
  void startOrchestrator(Vertx vertx) throws Exception {
    this.vertx = vertx;
    configFile = dir.resolve("config.yaml");
    alpha = await(TargetServer.start(vertx));
    beta = await(TargetServer.start(vertx)).respondWith(503);
    writeConfig(
        "services:\n"
            + service("alpha", alpha.url(), "[critical, api]")
            + service("beta", beta.url(), "[api]")
            + "    connection: reuse\n");
    api =
        await(
                InProcessOrchestrator.on(vertx)
                    .configFile(configFile)
                    // Every trigger of these tests must probe.
                    .set("TRIGGER_MIN_GAP", "0")
                    .start())
            .api();
    // Both start-up probes have completed: later triggers send probes of their own.
    await(
        api.statusUntil(
            body ->
                ApiClient.totalChecks(body, "alpha") >= 1
                    && ApiClient.totalChecks(body, "beta") >= 1));
  }

  @Test
  void oneServiceStatusHasItsNameAndFields(VertxTestContext test) {
    api.get("/health/status/alpha")
        .onComplete(
            thenComplete(
                test,
                response -> {
                  assertThat(response.statusCode()).isEqualTo(200);
                  JsonObject body = response.bodyAsJsonObject();
                  assertThat(body.getString("name")).isEqualTo("alpha");
                  assertThat(body.getString("health")).isEqualTo("healthy");
                  assertThat(body.getJsonObject("latency").getLong("samples")).isEqualTo(1);
                  assertThat(body.getJsonObject("availability").getDouble("1h")).isEqualTo(100.0);
                }));
  }

  @Test
  void oneServiceStatusShowsItsCheckDefinition(VertxTestContext test) {
    api.get("/health/status/alpha")
        .onComplete(
            thenComplete(
                test,
                response -> {
                  JsonObject check = response.bodyAsJsonObject().getJsonObject("check");
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
                }));
  }

  @Test
  void theFleetListingShowsEveryCheckInConfiguredOrderAndTheSnapshotKeepsItsShape(
      VertxTestContext test) {
    api.get("/health/services")
        .compose(
            listing -> {
              test.verify(
                  () -> {
                    assertThat(listing.statusCode()).isEqualTo(200);
                    JsonArray services = listing.bodyAsJsonObject().getJsonArray("services");
                    assertThat(services.stream().map(s -> ((JsonObject) s).getString("name")))
                        .containsExactly("alpha", "beta");
                    JsonObject betaCheck = services.getJsonObject(1).getJsonObject("check");
                    assertThat(betaCheck.getString("url")).isEqualTo(beta.url());
                    assertThat(betaCheck.getJsonArray("tags")).containsExactly("api");
                    assertThat(betaCheck.getString("connection")).isEqualTo("reuse");
                  });
              return api.get("/health/status/beta");
            })
        .compose(
            detail -> {
              test.verify(
                  () ->
                      assertThat(detail.bodyAsJsonObject().getJsonObject("check").getString("url"))
                          .isEqualTo(beta.url()));
              return api.get("/health/status");
            })
        .onComplete(
            thenComplete(
                test,
                status -> {
                  JsonObject body = status.bodyAsJsonObject();
                  assertThat(body.fieldNames())
                      .containsExactly("timestamp", "services", "overall_health");
                  assertThat(body.getJsonObject("services").getJsonObject("alpha").fieldNames())
                      .doesNotContain("check");
                }));
  }

  @Test
  void theCheckShownFollowsAReloadedUrlRedacted(VertxTestContext test) {
    String secretUrl = "http://probe:pw@127.0.0.1:" + alpha.port() + "/ready?token=abc&verbose";
    String shown = "http://***@127.0.0.1:" + alpha.port() + "/ready?token=***&***";
    writeConfig(
        "services:\n"
            + service("alpha", secretUrl, "[critical, api]")
            + service("beta", beta.url(), "[api]")
            + "    connection: reuse\n");
    api.send(HttpMethod.POST, "/config/reload")
        .compose(
            reloaded -> {
              test.verify(
                  () ->
                      assertThat(reloaded.bodyAsJsonObject().getJsonArray("changed"))
                          .containsExactly("alpha"));
              // The status verticle applies a reload on its own context: polled until it has.
              return api.getUntil(
                  "/health/status/alpha",
                  body -> shown.equals(body.getJsonObject("check").getString("url")));
            })
        .compose(detail -> api.get("/health/services"))
        .onComplete(
            thenComplete(
                test,
                listing -> {
                  String listed =
                      listing
                          .bodyAsJsonObject()
                          .getJsonArray("services")
                          .getJsonObject(0)
                          .getJsonObject("check")
                          .getString("url");
                  assertThat(listed).isEqualTo(shown);
                  assertThat(listing.bodyAsString()).doesNotContain("pw", "abc");
                }));
  }

  @Test
  void scheduleShowsLagMissedSlotsAndTheInFlightCap(VertxTestContext test) {
    api.get("/health/schedule")
        .onComplete(
            thenComplete(
                test,
                response -> {
                  assertThat(response.statusCode()).isEqualTo(200);
                  JsonObject body = response.bodyAsJsonObject();
                  assertThat(body.fieldNames())
                      .containsExactly(
                          "lag", "missed_slots", "in_flight", "waiting", "connection_wait");
                  assertThat(body.getJsonObject("lag").fieldNames())
                      .contains("p50_ms", "p99_ms", "max_ms", "samples");
                }));
  }

  @Test
  void anUnknownServiceIsAJsonNotFoundEverywhere(VertxTestContext test) {
    api.get("/health/status/nope")
        .compose(
            status -> {
              test.verify(() -> assertNotFound(status));
              return api.send(HttpMethod.POST, "/health/trigger/nope");
            })
        .compose(
            trigger -> {
              test.verify(() -> assertNotFound(trigger));
              return api.get("/health/history/nope");
            })
        .onComplete(
            thenComplete(
                test,
                history -> {
                  assertNotFound(history);
                }));
  }

  @Test
  void triggeringOneServiceProbesOnlyThatService(VertxTestContext test) {
    int betaBefore = beta.requests();
    api.send(HttpMethod.POST, "/health/trigger/alpha")
        .onComplete(
            thenComplete(
                test,
                response -> {
                  JsonObject body = response.bodyAsJsonObject();
                  assertThat(body.getString("name")).isEqualTo("alpha");
                  assertThat(body.getLong("total_checks")).isEqualTo(2);
                  assertThat(alpha.requests()).isEqualTo(2);
                  assertThat(beta.requests()).isEqualTo(betaBefore);
                }));
  }

  @Test
  void statusCanBeFilteredByTag(VertxTestContext test) {
    api.get("/health/status?tag=critical")
        .compose(
            critical -> {
              test.verify(
                  () -> {
                    JsonObject body = critical.bodyAsJsonObject();
                    assertThat(body.getJsonObject("services").fieldNames())
                        .containsExactly("alpha");
                    assertThat(body.getString("overall_health")).isEqualTo("healthy");
                  });
              return api.get("/health/status?tag=api");
            })
        .onComplete(
            thenComplete(
                test,
                api -> {
                  JsonObject body = api.bodyAsJsonObject();
                  assertThat(body.getJsonObject("services").fieldNames())
                      .containsExactly("alpha", "beta");
                  assertThat(body.getString("overall_health")).isEqualTo("degraded");
                }));
  }

  @Test
  void statusCanBeFilteredByHealthAndPagedInNameOrder(VertxTestContext test) {
    api.get("/health/status?health=unhealthy,circuit_open")
        .compose(
            failing -> {
              test.verify(
                  () -> {
                    JsonObject body = failing.bodyAsJsonObject();
                    assertThat(body.getJsonObject("services").fieldNames()).containsExactly("beta");
                    assertThat(body.getString("overall_health")).isEqualTo("degraded");
                    assertThat(body.containsKey("next_cursor")).isFalse();
                  });
              return api.get("/health/status?limit=1");
            })
        .compose(
            first -> {
              JsonObject body = first.bodyAsJsonObject();
              test.verify(
                  () -> {
                    assertThat(body.getJsonObject("services").fieldNames())
                        .containsExactly("alpha");
                    assertThat(body.getString("next_cursor")).isNotBlank();
                  });
              return api.get("/health/status?limit=1&cursor=" + body.getString("next_cursor"));
            })
        .compose(
            second -> {
              test.verify(
                  () -> {
                    JsonObject body = second.bodyAsJsonObject();
                    assertThat(body.getJsonObject("services").fieldNames()).containsExactly("beta");
                    assertThat(body.containsKey("next_cursor")).isTrue();
                    assertThat(body.getValue("next_cursor")).isNull();
                  });
              return api.get("/health/status?health=sick");
            })
        .compose(
            badHealth -> {
              test.verify(() -> assertBadParameter(badHealth, "health"));
              return api.get("/health/status?limit=0");
            })
        .compose(
            badLimit -> {
              test.verify(() -> assertBadParameter(badLimit, "limit"));
              return api.get("/health/status?cursor=not-ours");
            })
        .onComplete(
            test.succeeding(
                badCursor ->
                    test.verify(
                        () -> {
                          assertBadParameter(badCursor, "cursor");
                          test.completeNow();
                        })));
  }

  private static void assertBadParameter(HttpResponse<Buffer> response, String parameter) {
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.getHeader("content-type")).isEqualTo("application/json");
    JsonObject error = response.bodyAsJsonObject();
    assertThat(error.getString("error")).isEqualTo("bad_request");
    assertThat(error.getString("message")).startsWith(parameter + " ");
  }

  @Test
  void historyListsTheLatestResultsNewestFirstWithinTheLimit(VertxTestContext test) {
    api.send(HttpMethod.POST, "/health/trigger/beta")
        .compose(first -> api.send(HttpMethod.POST, "/health/trigger/beta"))
        .compose(second -> api.get("/health/history/beta?limit=2"))
        .compose(
            limited -> {
              test.verify(
                  () -> {
                    JsonObject body = limited.bodyAsJsonObject();
                    assertThat(body.getString("name")).isEqualTo("beta");
                    JsonArray results = body.getJsonArray("results");
                    assertThat(results).hasSize(2);
                    String newest = results.getJsonObject(0).getString("checked_at");
                    String older = results.getJsonObject(1).getString("checked_at");
                    assertThat(newest).isGreaterThanOrEqualTo(older);
                    assertThat(results.getJsonObject(0).getString("error_message"))
                        .isEqualTo("HTTP 503");
                  });
              return api.get("/health/history/beta");
            })
        .compose(
            all -> {
              test.verify(
                  () -> assertThat(all.bodyAsJsonObject().getJsonArray("results")).hasSize(3));
              return api.get("/health/history/beta?limit=zero");
            })
        .onComplete(
            thenComplete(
                test,
                bad -> {
                  assertThat(bad.statusCode()).isEqualTo(400);
                  assertThat(bad.bodyAsJsonObject().getString("error")).isEqualTo("bad_request");
                }));
  }

  @Test
  void aReloadAddsRemovesAndKeepsServicesLosingNothing(VertxTestContext test) {
    AtomicReference<TargetServer> gamma = new AtomicReference<>();
    TargetServer.start(vertx)
        .compose(
            started -> {
              gamma.set(started);
              // alpha unchanged, beta removed, gamma added.
              writeConfig(
                  "services:\n"
                      + service("alpha", alpha.url(), "[critical, api]")
                      + service("gamma", started.url(), "[]"));
              return api.send(HttpMethod.POST, "/config/reload");
            })
        .compose(
            reloaded -> {
              test.verify(
                  () -> {
                    assertThat(reloaded.statusCode()).isEqualTo(200);
                    JsonObject body = reloaded.bodyAsJsonObject();
                    assertThat(body.getString("status")).isEqualTo("applied");
                    assertThat(body.getJsonArray("added")).containsExactly("gamma");
                    assertThat(body.getJsonArray("removed")).containsExactly("beta");
                    assertThat(body.getJsonArray("changed")).isEmpty();
                  });
              return Eventually.until(vertx, () -> gamma.get().requests() >= 1, 10_000);
            })
        .compose(gammaProbed -> api.statusUntil(body -> ApiClient.totalChecks(body, "gamma") >= 1))
        .onComplete(
            thenComplete(
                test,
                status -> {
                  assertThat(status.getJsonObject("services").fieldNames())
                      .containsExactly("alpha", "gamma");
                  // alpha kept its statistics and was not probed again by the reload.
                  assertThat(ApiClient.totalChecks(status, "alpha")).isEqualTo(1);
                  assertThat(alpha.requests()).isEqualTo(1);
                }));
  }

  @Test
  void aChangedCheckGetsAFreshCircuitWhileUnchangedServicesKeepTheirs(VertxTestContext test) {
    // Four more failures open beta's circuit (threshold 5).
    Future<?> failures = Future.succeededFuture();
    for (int i = 0; i < 4; i++) {
      failures = failures.compose(previous -> api.send(HttpMethod.POST, "/health/trigger/beta"));
    }
    failures
        .compose(
            opened -> {
              test.verify(() -> assertThat(beta.requests()).isEqualTo(5));
              writeConfig(
                  "services:\n"
                      + service("alpha", alpha.url(), "[critical, api]")
                      + service("beta", beta.url(), "[api]")
                      + "    timeout: 3\n");
              return api.send(HttpMethod.POST, "/config/reload");
            })
        .compose(
            reloaded -> {
              test.verify(
                  () ->
                      assertThat(reloaded.bodyAsJsonObject().getJsonArray("changed"))
                          .containsExactly("beta"));
              // The fresh circuit probes at once.
              return Eventually.until(vertx, () -> beta.requests() == 6, 10_000);
            })
        .compose(probedAgain -> api.statusUntil(body -> ApiClient.totalChecks(body, "beta") == 6))
        .onComplete(
            thenComplete(
                test,
                status -> {
                  JsonObject betaStatus = status.getJsonObject("services").getJsonObject("beta");
                  assertThat(betaStatus.getString("circuit_breaker_state")).isEqualTo("closed");
                  assertThat(betaStatus.getString("health")).isEqualTo("unhealthy");
                  assertThat(ApiClient.totalChecks(status, "alpha")).isEqualTo(1);
                }));
  }

  @Test
  void anInvalidReloadIsRejectedWholeAndShownUntilFixed(VertxTestContext test) {
    writeConfig(
        "services:\n"
            + service("alpha", alpha.url(), "[critical, api]")
            + "  - name: Bad Name\n    url: http://127.0.0.1:1/health\n");
    api.send(HttpMethod.POST, "/config/reload")
        .compose(
            rejected -> {
              test.verify(
                  () -> {
                    assertThat(rejected.statusCode()).isEqualTo(422);
                    assertThat(rejected.bodyAsJsonObject().getString("message"))
                        .contains("services[1].name")
                        .contains("Bad Name");
                  });
              return api.get("/health/status");
            })
        .compose(
            status -> {
              test.verify(
                  () -> {
                    JsonObject body = status.bodyAsJsonObject();
                    // The last good configuration is still in force.
                    assertThat(body.getJsonObject("services").fieldNames())
                        .containsExactly("alpha", "beta");
                    assertThat(body.getString("config_error")).contains("services[1].name");
                  });
              writeConfig("services:\n" + service("alpha", alpha.url(), "[critical, api]"));
              return api.send(HttpMethod.POST, "/config/reload");
            })
        // The status verticle clears the error on its own context, maybe after the reply.
        .compose(fixed -> api.statusUntil(body -> !body.containsKey("config_error")))
        .onComplete(
            thenComplete(
                test,
                body -> {
                  assertThat(body.getJsonObject("services").fieldNames()).containsExactly("alpha");
                }));
  }

  private static void assertNotFound(HttpResponse<Buffer> response) {
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.getHeader("content-type")).isEqualTo("application/json");
    assertThat(response.bodyAsJsonObject().getString("message")).isEqualTo("no service named nope");
  }

  private static String service(String name, String url, String tags) {
    return "  - name: " + name + "\n    url: " + url + "\n    tags: " + tags + "\n";
  }

  private void writeConfig(String yaml) {
    try {
      Files.writeString(configFile, yaml);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
