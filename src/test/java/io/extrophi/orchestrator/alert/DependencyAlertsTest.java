package io.extrophi.orchestrator.alert;

import static io.extrophi.orchestrator.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.config.ServiceDefinition;
import io.extrophi.orchestrator.testing.AlertReceiverFixture;
import io.extrophi.orchestrator.testing.IntegrationTest;
import io.extrophi.orchestrator.testing.TargetServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
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
  private AlertReceiverFixture fixture;

  /** Starts one target per service and an orchestrator checking them only when triggered. */
  private void start(Vertx vertx, Map<String, List<String>> dependsOn) throws Exception {
    List<ServiceDefinition> services = new ArrayList<>();
    for (Map.Entry<String, List<String>> service : dependsOn.entrySet()) {
      TargetServer target = await(TargetServer.start(vertx));
      targets.put(service.getKey(), target);
      services.add(
          AlertReceiverFixture.service(service.getKey(), target)
              .dependsOn(service.getValue())
              .build());
    }
    fixture = AlertReceiverFixture.start(vertx, services);
  }

  @AfterEach
  void stop() throws Exception {
    if (fixture != null) {
      fixture.stop();
    }
  }

  private void respond(int status, String... services) {
    for (String service : services) {
      targets.get(service).respondWith(status);
    }
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
    fixture.round();
    respond(503, "writer", "research");
    fixture.round();
    List<JsonObject> down = fixture.alertsSettleAt(3);
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
    fixture.round();
    respond(200, "writer", "research");
    fixture.round();
    List<JsonObject> all = fixture.alertsSettleAt(6);
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
    fixture.round();
    List<JsonObject> alerts = fixture.alertsSettleAt(1);
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
    fixture.round();
    respond(503, "api");
    fixture.round();
    respond(503, "writer");
    fixture.round();
    List<JsonObject> alerts = fixture.alertsSettleAt(3);
    assertThat(summaries(alerts))
        .containsExactly(
            "db is unhealthy (was healthy): HTTP 503",
            "update: db is unhealthy (was healthy): HTTP 503; taking down api",
            "update: db is unhealthy (was healthy): HTTP 503; taking down writer, api");
    respond(200, "db", "api", "writer");
    fixture.round();
    assertThat(summaries(fixture.alertsSettleAt(6)).subList(3, 6))
        .containsExactlyInAnyOrder(
            "db is healthy (was unhealthy): check succeeded",
            "api is healthy (was unhealthy): check succeeded",
            "writer is healthy (was unhealthy): check succeeded");
  }
}
