package io.extrophi.orchestrator.alert;

import static io.extrophi.orchestrator.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.api.HealthChecker;
import io.extrophi.orchestrator.config.AlertFormat;
import io.extrophi.orchestrator.config.AlertSettings;
import io.extrophi.orchestrator.config.OrchestratorConfig;
import io.extrophi.orchestrator.config.RuntimeSettings;
import io.extrophi.orchestrator.config.ServiceDefinition;
import io.extrophi.orchestrator.testing.Await;
import io.extrophi.orchestrator.testing.IntegrationTest;
import io.extrophi.orchestrator.testing.LaterRounds;
import io.extrophi.orchestrator.testing.TargetServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Root-cause alerting end to end: real targets on 127.0.0.1 that go down and up, an orchestrator
 * with {@code depends_on}, and a real webhook receiver counting what arrives. Rounds are triggered
 * one by one, so "a round later" is exact.
 */
@ExtendWith(VertxExtension.class)
@IntegrationTest
class DependencyAlertsTest {

  private final Map<String, TargetServer> targets = new LinkedHashMap<>();
  private WebhookReceiver receiver;
  private HealthChecker checker;

  /** Starts one target per service and an orchestrator checking them only when triggered. */
  private void start(Vertx vertx, Map<String, List<String>> dependsOn) throws Exception {
    receiver = await(WebhookReceiver.start(vertx));
    List<ServiceDefinition> services = new ArrayList<>();
    for (Map.Entry<String, List<String>> service : dependsOn.entrySet()) {
      TargetServer target = await(TargetServer.start(vertx));
      targets.put(service.getKey(), target);
      services.add(
          ServiceDefinition.builder(service.getKey(), target.url())
              .interval(Duration.ofMinutes(10))
              .timeout(Duration.ofSeconds(5))
              .dependsOn(service.getValue())
              .build());
    }
    OrchestratorConfig config =
        OrchestratorConfig.builder()
            .services(services)
            .checkInterval(Duration.ofMinutes(10))
            // No circuit opens during a test: each outage is one transition per service.
            .failureThreshold(1_000)
            .http("127.0.0.1", 0)
            .runtime(RuntimeSettings.inMemory().toBuilder().triggerMinGap(Duration.ZERO).build())
            .alerts(
                AlertSettings.builder()
                    .webhook(receiver.url("/hook"))
                    .format(AlertFormat.JSON)
                    .retryInitial(Duration.ofMillis(20))
                    .build())
            .build();
    checker = new HealthChecker(vertx, config);
    await(checker.start());
    round();
  }

  @AfterEach
  void stop() throws Exception {
    if (checker != null) {
      await(checker.stop());
    }
  }

  /** One triggered round, answered once its results and transitions are recorded. */
  private void round() throws Exception {
    await(LaterRounds.triggered(checker, 1));
  }

  private void respond(int status, String... services) {
    for (String service : services) {
      targets.get(service).respondWith(status);
    }
  }

  /** Waits until {@code count} alerts arrived, then runs two more rounds to prove no more come. */
  private List<JsonObject> alertsSettleAt(int count) throws Exception {
    Await.until(() -> receiver.requests().size() >= count, count + " alerts");
    round();
    round();
    Await.until(
        () -> waiting(checker.alertStats()) == 0, "every queued alert delivered or given up");
    return receiver.requests().stream().map(WebhookReceiver.Received::body).toList();
  }

  private static long waiting(AlertStats stats) {
    return stats.queued() - stats.sent() - stats.failed() - stats.dropped();
  }

  private static List<String> summaries(List<JsonObject> alerts) {
    return alerts.stream().map(alert -> alert.getString("summary")).toList();
  }

  @Test
  void servicesTakenDownByTheirDependencyUpdateItsOneAlertAndAllRecoveriesAlert(Vertx vertx)
      throws Exception {
    start(
        vertx,
        Map.of("writer", List.of("backend"), "research", List.of("backend"), "backend", List.of()));
    respond(503, "backend");
    round();
    respond(503, "writer", "research");
    round();
    List<JsonObject> down = alertsSettleAt(3);
    assertThat(down).hasSize(3);
    JsonObject created = down.get(0);
    assertThat(created.getString("summary"))
        .isEqualTo("backend is unhealthy (was healthy): HTTP 503");
    assertThat(created.getValue("update_of")).isNull();
    for (JsonObject update : down.subList(1, 3)) {
      assertThat(update.getString("service")).isEqualTo("backend");
      assertThat(update.getString("update_of")).isEqualTo(created.getString("id"));
      assertThat(update.getString("id")).isNotEqualTo(created.getString("id"));
    }
    assertThat(down.get(2).getJsonArray("affected_services").getList())
        .containsExactlyInAnyOrder("writer", "research");
    assertThat(down)
        .as("no alert is created for writer or research")
        .allSatisfy(alert -> assertThat(alert.getString("service")).isEqualTo("backend"));

    respond(200, "backend");
    round();
    respond(200, "writer", "research");
    round();
    List<JsonObject> all = alertsSettleAt(6);
    assertThat(summaries(all.subList(3, 6)))
        .as("every recovery alerts")
        .containsExactlyInAnyOrder(
            "backend is healthy (was unhealthy): check succeeded",
            "writer is healthy (was unhealthy): check succeeded",
            "research is healthy (was unhealthy): check succeeded");
    assertThat(all).hasSize(6);
  }

  @Test
  void aServiceFailingWhileItsDependencyIsHealthyAlertsAsWithoutDependencies(Vertx vertx)
      throws Exception {
    start(vertx, Map.of("writer", List.of("backend"), "backend", List.of()));
    respond(503, "writer");
    round();
    List<JsonObject> alerts = alertsSettleAt(1);
    assertThat(alerts).hasSize(1);
    assertThat(alerts.get(0).getString("summary"))
        .isEqualTo("writer is unhealthy (was healthy): HTTP 503");
    assertThat(alerts.get(0).getValue("update_of")).isNull();
    assertThat(alerts.get(0).getValue("root_cause")).isNull();
    assertThat(alerts.get(0).getJsonArray("affected_services")).isEmpty();
  }

  @Test
  void aChainOfThreeAlertsItsEndAndListsTheOthers(Vertx vertx) throws Exception {
    Map<String, List<String>> chain = new LinkedHashMap<>();
    chain.put("writer", List.of("api"));
    chain.put("api", List.of("db"));
    chain.put("db", List.of());
    start(vertx, chain);
    respond(503, "db");
    round();
    respond(503, "api");
    round();
    respond(503, "writer");
    round();
    List<JsonObject> alerts = alertsSettleAt(3);
    assertThat(summaries(alerts))
        .containsExactly(
            "db is unhealthy (was healthy): HTTP 503",
            "update: db is unhealthy (was healthy): HTTP 503; taking down api",
            "update: db is unhealthy (was healthy): HTTP 503; taking down writer, api");
    respond(200, "db", "api", "writer");
    round();
    assertThat(summaries(alertsSettleAt(6)).subList(3, 6))
        .containsExactlyInAnyOrder(
            "db is healthy (was unhealthy): check succeeded",
            "api is healthy (was unhealthy): check succeeded",
            "writer is healthy (was unhealthy): check succeeded");
  }
}
