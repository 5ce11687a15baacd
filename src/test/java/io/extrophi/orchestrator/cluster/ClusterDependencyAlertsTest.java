package io.extrophi.orchestrator.cluster;

import static io.extrophi.orchestrator.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.alert.WebhookReceiver;
import io.extrophi.orchestrator.testing.Await;
import io.extrophi.orchestrator.testing.IntegrationTest;
import io.extrophi.orchestrator.testing.LocalNodes;
import io.extrophi.orchestrator.testing.NodeProcess;
import io.extrophi.orchestrator.testing.TargetServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Root-cause alerts from a cluster of two orchestrator JVMs on 127.0.0.1 sharing a fleet in which
 * five services depend on {@code backend}: whichever node probes a service, each alert and each
 * update reaches the webhook once.
 */
@ExtendWith(VertxExtension.class)
@IntegrationTest
class ClusterDependencyAlertsTest {

  @RegisterExtension final LocalNodes processes = new LocalNodes("cluster-depends-test");

  private static final long DEADLINE_MS = 90_000;
  private static final List<String> DEPENDENTS =
      List.of("writer", "research", "editor", "search", "indexer");

  private final Map<String, TargetServer> targets = new LinkedHashMap<>();
  private final List<NodeProcess> nodes = new ArrayList<>();

  @Test
  void eachRootCauseAlertUpdateAndRecoveryIsDeliveredOnce(Vertx vertx) throws Exception {
    Path workDir = processes.workDir();
    WebhookReceiver receiver = await(WebhookReceiver.start(vertx));
    StringBuilder yaml = new StringBuilder("services:\n");
    for (String name : fleet()) {
      TargetServer target = await(TargetServer.start(vertx));
      targets.put(name, target);
      yaml.append("  - name: ").append(name).append("\n    url: ").append(target.url());
      yaml.append(name.equals("backend") ? "\n" : "\n    depends_on: [backend]\n");
    }
    Files.writeString(workDir.resolve("services.yaml"), yaml);
    LocalNodes.Cluster cluster = processes.cluster(2, "depends");
    for (int i = 0; i < 2; i++) {
      Map<String, String> env = cluster.env(i);
      env.put("CLUSTER_QUORUM", "2");
      env.put("SERVICES_FILE", workDir.resolve("services.yaml").toString());
      env.put("HEALTH_CHECK_INTERVAL", "1");
      // Generous: a probe timing out on a busy machine would be a transition, and alert.
      env.put("HEALTH_CHECK_TIMEOUT", "3");
      // No circuit opens: each outage is one transition per service.
      env.put("CIRCUIT_BREAKER_THRESHOLD", "1000");
      env.put("ALERT_WEBHOOK", receiver.url("/hook"));
      env.put("ALERT_RETRY_INITIAL", "0.05");
      nodes.add(processes.start("node" + i, env));
    }
    for (NodeProcess node : nodes) {
      node.await(
          "/",
          json ->
              "ok".equals(json.getString("cluster")) && json.getInteger("cluster_members", 0) == 2,
          DEADLINE_MS,
          "2 members, cluster ok");
    }
    awaitEveryService("healthy");
    assertThat(ownedServices()).as("both nodes probe part of the fleet").allMatch(n -> n > 0);

    awaitLaterRounds(2);
    int before = receiver.requests().size();
    targets.get("backend").respondWith(503);
    Await.until(
        () ->
            bodies(receiver, before).stream()
                .anyMatch(alert -> "backend".equals(alert.getString("service"))),
        DEADLINE_MS);
    DEPENDENTS.forEach(name -> targets.get(name).respondWith(503));
    awaitEveryService("unhealthy");
    Await.until(() -> bodies(receiver, before).size() >= 1 + DEPENDENTS.size(), DEADLINE_MS);
    awaitLaterRounds(3);
    List<JsonObject> down = bodies(receiver, before);
    assertThat(down).as("one alert and one update per dependent").hasSize(1 + DEPENDENTS.size());
    String created = down.get(0).getString("id");
    assertThat(down.get(0).getString("summary"))
        .isEqualTo("backend is unhealthy (was healthy): HTTP 503");
    assertThat(down.subList(1, down.size()))
        .allSatisfy(update -> assertThat(update.getString("update_of")).isEqualTo(created));
    assertThat(down).extracting(alert -> alert.getString("id")).doesNotHaveDuplicates();
    assertThat(down)
        .allSatisfy(alert -> assertThat(alert.getString("service")).isEqualTo("backend"));
    assertThat(down.get(down.size() - 1).getJsonArray("affected_services").getList())
        .as("the last update lists the services gone down, heard from both nodes")
        .hasSameElementsAs(DEPENDENTS);

    targets.values().forEach(target -> target.respondWith(200));
    awaitEveryService("healthy");
    Await.until(
        () -> bodies(receiver, before).size() >= 1 + DEPENDENTS.size() + fleet().size(),
        DEADLINE_MS);
    awaitLaterRounds(3);
    List<JsonObject> all = bodies(receiver, before);
    assertThat(all).hasSize(1 + DEPENDENTS.size() + fleet().size());
    assertThat(all.subList(down.size(), all.size()))
        .extracting(alert -> alert.getString("service"))
        .as("one recovery per service")
        .hasSameElementsAs(fleet())
        .doesNotHaveDuplicates();
    assertThat(all).extracting(alert -> alert.getString("id")).doesNotHaveDuplicates();
  }

  private static List<String> fleet() {
    List<String> fleet = new ArrayList<>(List.of("backend"));
    fleet.addAll(DEPENDENTS);
    return fleet;
  }

  /** The alerts received after the first {@code skip}. */
  private static List<JsonObject> bodies(WebhookReceiver receiver, int skip) {
    List<WebhookReceiver.Received> requests = receiver.requests();
    return requests.subList(Math.min(skip, requests.size()), requests.size()).stream()
        .map(WebhookReceiver.Received::body)
        .toList();
  }

  private List<Integer> ownedServices() {
    return nodes.stream().map(node -> node.get("/").getInteger("owned_services", -1)).toList();
  }

  private void awaitEveryService(String health) throws Exception {
    nodes
        .get(0)
        .await(
            "/health/status",
            status ->
                fleet().stream()
                    .allMatch(
                        name ->
                            health.equals(
                                status
                                    .getJsonObject("services")
                                    .getJsonObject(name, new JsonObject())
                                    .getString("health"))),
            DEADLINE_MS,
            "every service " + health);
  }

  /** Waits until every target was probed {@code rounds} more times: the alerts had time to come. */
  private void awaitLaterRounds(int rounds) throws Exception {
    Map<String, Integer> before = new HashMap<>();
    targets.forEach((name, target) -> before.put(name, target.requests()));
    Await.until(
        () ->
            targets.entrySet().stream()
                .allMatch(e -> e.getValue().requests() >= before.get(e.getKey()) + rounds),
        DEADLINE_MS);
  }
}
