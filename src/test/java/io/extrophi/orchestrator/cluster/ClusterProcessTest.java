package io.extrophi.orchestrator.cluster;

import static io.extrophi.orchestrator.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.testing.Await;
import io.extrophi.orchestrator.testing.IntegrationTest;
import io.extrophi.orchestrator.testing.LaterRounds;
import io.extrophi.orchestrator.testing.LocalNodes;
import io.extrophi.orchestrator.testing.NodeProcess;
import io.extrophi.orchestrator.testing.PrometheusText;
import io.extrophi.orchestrator.testing.TargetServer;
import io.extrophi.orchestrator.testing.TestConfigs;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Cluster mode as operators run it: three orchestrator JVMs and a subscriber JVM on 127.0.0.1,
 * Hazelcast membership by TCP/IP member list, real targets that count the probes they get.
 *
 * <p>Bounded: about a minute, every wait has a deadline. {@code scripts/cluster-check} runs the
 * long variant ({@code -Dorchestrator.cluster.cycles=N} kill-and-restart cycles).
 */
@ExtendWith(VertxExtension.class)
@IntegrationTest
class ClusterProcessTest {

  private static final int SERVICES = 6;
  private static final long JOIN_DEADLINE_MS = 90_000;
  private static final long FAILOVER_DEADLINE_MS = 30_000;
  private static final Duration PROBE_INTERVAL = Duration.ofSeconds(1);
  private static final Pattern HEALTH_LINE =
      Pattern.compile("health (s\\d+): (\\w+) -> (\\w+)", Pattern.MULTILINE);

  @RegisterExtension final LocalNodes processes = new LocalNodes("cluster-test");

  private Vertx vertx;
  private final List<TargetServer> targets = new ArrayList<>();
  private LocalNodes.Cluster cluster;

  @BeforeEach
  void startTargets(Vertx vertx) throws Exception {
    this.vertx = vertx;
    for (int i = 0; i < SERVICES; i++) {
      targets.add(await(TargetServer.start(vertx)));
    }
    Files.writeString(
        processes.workDir().resolve("services.yaml"),
        TestConfigs.servicesYaml(targets.stream().map(TargetServer::url).toList()));
    cluster = processes.cluster(3, "test");
  }

  @Test
  void threeNodesShareTheFleetAgreeOnItSurviveALostNodeAndStopWhenBelowQuorum() throws Exception {
    NodeProcess[] nodes = new NodeProcess[3];
    nodes[0] = startNode(0);
    nodes[0].await("/health", json -> true, JOIN_DEADLINE_MS, "the HTTP API");
    nodes[1] = startNode(1);
    nodes[2] = startNode(2);
    for (NodeProcess node : nodes) {
      awaitMembers(node, 3);
    }
    awaitOwnedServicesAddUp(nodes);

    // Each service is probed by exactly one node.
    assertEachServiceProbedByOneNode(nodes);
    // ... and every node counts what the targets counted, probed by whichever node: it catches up
    // with the targets' counts (however long replication takes on a busy machine) and never
    // counts a check the targets did not see.
    int[] seen = targetCounts();
    Await.until(
        () -> {
          Map<String, JsonObject> caughtUp;
          try {
            caughtUp = services(nodes[1]);
          } catch (AssertionError notAnsweringNow) {
            return false;
          }
          for (int i = 0; i < SERVICES; i++) {
            JsonObject service = caughtUp.get("s" + i);
            if (service == null || service.getLong("total_checks") < seen[i]) {
              return false;
            }
          }
          return true;
        },
        60_000);
    Map<String, JsonObject> status = services(nodes[1]);
    int[] counted = targetCounts();
    for (int i = 0; i < SERVICES; i++) {
      assertThat(status.get("s" + i).getLong("total_checks"))
          .as("total_checks of s%d against the target's count", i)
          .isBetween((long) seen[i], (long) counted[i]);
    }
    awaitIdenticalStatus(nodes);

    // A trigger on any node checks every service once, through the node that owns it.
    int[] beforeTrigger = targetCounts();
    Map.Entry<Integer, JsonObject> round = nodes[2].post("/health/trigger");
    assertThat(round.getKey()).isEqualTo(200);
    assertThat(round.getValue().getJsonObject("services").fieldNames())
        .containsExactly("s0", "s1", "s2", "s3", "s4", "s5");
    assertThat(round.getValue().containsKey("schema_version")).isFalse();
    int[] afterTrigger = targetCounts();
    for (int i = 0; i < SERVICES; i++) {
      // The round's own probe, and at most one scheduled probe that fell within it.
      assertThat(afterTrigger[i] - beforeTrigger[i])
          .as("probes of s%d in a trigger", i)
          .isBetween(1, 2);
    }
    Map.Entry<Integer, JsonObject> one = nodes[0].post("/health/trigger/s5");
    assertThat(one.getKey()).isEqualTo(200);
    assertThat(one.getValue().getString("name")).isEqualTo("s5");
    assertThat(nodes[1].post("/health/trigger/nope").getKey()).isEqualTo(404);

    // A subscriber in a fourth JVM sees each health transition once.
    NodeProcess subscriber = processes.subscriber("subscriber", cluster.subscriberEnv());
    awaitOutput(subscriber, "subscribed to", JOIN_DEADLINE_MS);
    targets.get(0).respondWith(503);
    awaitOutput(subscriber, "health s0: healthy -> unhealthy", FAILOVER_DEADLINE_MS);
    awaitOutput(subscriber, "health s0: unhealthy -> circuit_open", FAILOVER_DEADLINE_MS);
    targets.get(0).respondWith(200);
    awaitHealthLines(subscriber, "s0", "unhealthy -> healthy", 1);
    // A second failure and recovery of s0, published by the same owner: a duplicate of an
    // earlier transition would have reached the subscriber before these did.
    targets.get(0).respondWith(503);
    awaitHealthLines(subscriber, "s0", "healthy -> unhealthy", 2);
    targets.get(0).respondWith(200);
    awaitHealthLines(subscriber, "s0", "unhealthy -> healthy", 2);
    List<String> transitions = healthLines(subscriber.stdout(), "s0");
    assertThat(transitions.subList(0, 2))
        .containsExactly("healthy -> unhealthy", "unhealthy -> circuit_open");
    assertThat(transitions.get(transitions.size() - 1)).isEqualTo("unhealthy -> healthy");
    List<String> lines =
        subscriber.stdout().lines().filter(line -> line.contains(" health s0: ")).toList();
    assertThat(lines)
        .as("each transition of s0 reaches the subscriber once, not once per node")
        .doesNotHaveDuplicates();
    assertThat(subscriber.stdout()).contains("circuit s0: closed -> open");

    assertMetricsAddUp(nodes);

    int cycles = Integer.getInteger("orchestrator.cluster.cycles", 1);
    for (int cycle = 0; cycle < cycles; cycle++) {
      int victim = 2 - cycle % 3;
      NodeProcess survivor = nodes[(victim + 1) % 3];
      killAndRestart(nodes, victim, survivor);
    }
    // The restarted node copied the state of a live one: its gauges show the copy.
    for (NodeProcess node : nodes) {
      assertGaugesMatchStatus(node);
    }

    // Below the quorum of 2 a node stops probing and serves its last snapshot, saying so.
    NodeProcess last = nodes[0];
    nodes[1].kill();
    nodes[2].kill();
    last.await(
        "/",
        json -> "degraded".equals(json.getString("cluster")),
        FAILOVER_DEADLINE_MS,
        "cluster degraded");
    Map<String, JsonObject> lastSnapshot = services(last);
    assertThat(lastSnapshot).hasSize(SERVICES);
    // Rounds of a witness probing at the nodes' interval prove the time: two for a probe in
    // flight to land, three more in which none may be sent.
    await(LaterRounds.ofWitness(vertx, PROBE_INTERVAL, 2));
    int[] quiet = targetCounts();
    await(LaterRounds.ofWitness(vertx, PROBE_INTERVAL, 3));
    assertThat(targetCounts()).as("no probes while degraded").containsExactly(quiet);
    assertThat(services(last).keySet()).containsExactlyElementsOf(lastSnapshot.keySet());
  }

  /**
   * Over later rounds (every target probed three more times), only one of {@code nodes} counts
   * probes of each service: two owners would show as two counters growing.
   */
  private void assertEachServiceProbedByOneNode(NodeProcess[] nodes) throws Exception {
    double[][] before = checksByNode(nodes);
    int[] probedBefore = targetCounts();
    Await.until(
        () -> {
          int[] now = targetCounts();
          for (int i = 0; i < SERVICES; i++) {
            if (now[i] < probedBefore[i] + 3) {
              return false;
            }
          }
          return true;
        },
        "three later probes of every service",
        FAILOVER_DEADLINE_MS);
    double[][] after = checksByNode(nodes);
    for (int i = 0; i < SERVICES; i++) {
      int service = i;
      List<String> probing =
          IntStream.range(0, nodes.length)
              .filter(n -> after[n][service] > before[n][service])
              .mapToObj(n -> nodes[n].name())
              .toList();
      assertThat(probing).as("nodes that probed s%d in later rounds", i).hasSize(1);
    }
  }

  /** Per node, per service: the probes the node counted ({@code orchestrator_checks_total}). */
  private static double[][] checksByNode(NodeProcess[] nodes) throws Exception {
    double[][] counted = new double[nodes.length][SERVICES];
    for (int n = 0; n < nodes.length; n++) {
      PrometheusText scrape = nodes[n].metrics();
      for (int i = 0; i < SERVICES; i++) {
        for (String outcome : List.of("success", "failure")) {
          counted[n][i] +=
              scrape.value(
                  "orchestrator_checks_total", Map.of("service", "s" + i, "outcome", outcome));
        }
      }
    }
    return counted;
  }

  /**
   * Each node's counters count the probes it sent, so across the nodes they add up to the targets'
   * counts; each node's health gauges show the whole fleet as its status does.
   */
  private void assertMetricsAddUp(NodeProcess[] nodes) throws Exception {
    int[] before = targetCounts();
    PrometheusText[] scrapes = new PrometheusText[nodes.length];
    for (int n = 0; n < nodes.length; n++) {
      scrapes[n] = nodes[n].metrics();
    }
    int[] after = targetCounts();
    for (int i = 0; i < SERVICES; i++) {
      double sent = 0;
      for (PrometheusText scrape : scrapes) {
        for (String outcome : List.of("success", "failure")) {
          sent +=
              scrape.value(
                  "orchestrator_checks_total", Map.of("service", "s" + i, "outcome", outcome));
        }
      }
      assertThat(sent)
          .as("probes of s%d counted by the nodes against the target's count", i)
          .isBetween(before[i] - 2.0, (double) after[i]);
    }
    for (NodeProcess node : nodes) {
      assertGaugesMatchStatus(node);
    }
  }

  /** The node's health gauges equal its status, for every service (within a short while). */
  private static void assertGaugesMatchStatus(NodeProcess node) throws Exception {
    node.await(
        "/health/status",
        status -> {
          try {
            PrometheusText scrape = node.metrics();
            return servicesOf(status).entrySet().stream()
                .allMatch(
                    entry ->
                        scrape.value(
                                "orchestrator_service_health",
                                Map.of(
                                    "service",
                                    entry.getKey(),
                                    "state",
                                    entry.getValue().getString("health")))
                            == 1);
          } catch (IOException unreadable) {
            return false;
          } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return false;
          }
        },
        FAILOVER_DEADLINE_MS,
        "health gauges equal to the status");
  }

  /**
   * Kills a node with SIGKILL: its services are probed by the survivors within a few intervals and
   * their counts go on from where they were; restarted, it rejoins and continues from the cluster's
   * counts, not from zero.
   */
  private void killAndRestart(NodeProcess[] nodes, int victim, NodeProcess survivor)
      throws Exception {
    Map<String, Long> totalsBefore = totals(services(survivor));
    nodes[victim].kill();
    for (int i = 0; i < 3; i++) {
      if (i != victim) {
        awaitMembers(nodes[i], 2);
      }
    }
    survivor.await(
        "/health/status",
        json -> {
          Map<String, Long> now = totals(servicesOf(json));
          return totalsBefore.entrySet().stream()
              .allMatch(e -> now.getOrDefault(e.getKey(), 0L) >= e.getValue() + 2);
        },
        FAILOVER_DEADLINE_MS,
        "every service probed again, counts continuing");
    // ... each by exactly one survivor.
    assertEachServiceProbedByOneNode(
        IntStream.range(0, 3)
            .filter(i -> i != victim)
            .mapToObj(i -> nodes[i])
            .toArray(NodeProcess[]::new));

    Map<String, Long> totalsAtRestart = totals(services(survivor));
    nodes[victim] = startNode(victim);
    awaitMembers(nodes[victim], 3);
    Map<String, Long> rejoined = totals(services(nodes[victim]));
    totalsAtRestart.forEach(
        (name, total) ->
            assertThat(rejoined.get(name))
                .as("total_checks of %s on the rejoined node", name)
                .isGreaterThanOrEqualTo(total));
    awaitOwnedServicesAddUp(nodes);
    awaitIdenticalStatus(nodes);
  }

  private NodeProcess startNode(int index) throws Exception {
    Map<String, String> env = cluster.env(index);
    env.put("SERVICES_FILE", processes.workDir().resolve("services.yaml").toString());
    env.put("HEALTH_CHECK_INTERVAL", String.valueOf(PROBE_INTERVAL.toSeconds()));
    env.put("HEALTH_CHECK_TIMEOUT", "0.5");
    env.put("CIRCUIT_BREAKER_THRESHOLD", "3");
    env.put("CIRCUIT_BREAKER_RESET_TIMEOUT", "2");
    env.put("CLUSTER_QUORUM", "2");
    env.put("DATA_DIR", "data");
    return processes.start("node" + index, env);
  }

  private static void awaitMembers(NodeProcess node, int count) throws Exception {
    node.await(
        "/",
        json ->
            "ok".equals(json.getString("cluster"))
                && json.getInteger("cluster_members", 0) == count,
        JOIN_DEADLINE_MS,
        count + " members, cluster ok");
  }

  /** Every node's view agrees: the services owned add up to the fleet. */
  private static void awaitOwnedServicesAddUp(NodeProcess[] nodes) throws Exception {
    long giveUpAt = System.currentTimeMillis() + FAILOVER_DEADLINE_MS;
    List<Integer> owned = List.of();
    while (System.currentTimeMillis() < giveUpAt) {
      owned = new ArrayList<>();
      for (NodeProcess node : nodes) {
        JsonObject info = node.get("/");
        owned.add(info == null ? -1 : info.getInteger("owned_services", -1));
      }
      if (owned.stream().mapToInt(Integer::intValue).sum() == SERVICES
          && owned.stream().allMatch(n -> n >= 0)) {
        return;
      }
      TimeUnit.MILLISECONDS.sleep(200);
    }
    throw new AssertionError("owned services do not add up to " + SERVICES + ": " + owned);
  }

  /** The same statistics on every node (read between two probes of the same service). */
  private static void awaitIdenticalStatus(NodeProcess[] nodes) throws Exception {
    long giveUpAt = System.currentTimeMillis() + FAILOVER_DEADLINE_MS;
    List<Map<String, String>> views = List.of();
    while (System.currentTimeMillis() < giveUpAt) {
      views = new ArrayList<>();
      for (NodeProcess node : nodes) {
        views.add(comparable(services(node)));
      }
      if (views.stream().distinct().count() == 1) {
        return;
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
    throw new AssertionError("the nodes never agreed: " + views);
  }

  private static Map<String, String> comparable(Map<String, JsonObject> services) {
    Map<String, String> view = new LinkedHashMap<>();
    services.forEach(
        (name, status) ->
            view.put(
                name,
                List.of(
                        "health",
                        "last_check",
                        "total_checks",
                        "successful_checks",
                        "consecutive_failures",
                        "circuit_breaker_state")
                    .stream()
                    .map(key -> key + "=" + status.getValue(key))
                    .collect(Collectors.joining(","))));
    return view;
  }

  private static Map<String, JsonObject> services(NodeProcess node) {
    JsonObject status = node.get("/health/status");
    if (status == null) {
      throw new AssertionError(node.name() + " does not answer GET /health/status");
    }
    return servicesOf(status);
  }

  private static Map<String, JsonObject> servicesOf(JsonObject status) {
    Map<String, JsonObject> services = new LinkedHashMap<>();
    status
        .getJsonObject("services")
        .forEach(e -> services.put(e.getKey(), (JsonObject) e.getValue()));
    return services;
  }

  private static Map<String, Long> totals(Map<String, JsonObject> services) {
    Map<String, Long> totals = new LinkedHashMap<>();
    services.forEach((name, status) -> totals.put(name, status.getLong("total_checks")));
    return totals;
  }

  private int[] targetCounts() {
    return targets.stream().mapToInt(TargetServer::requests).toArray();
  }

  private static void awaitOutput(NodeProcess process, String text, long deadlineMs)
      throws Exception {
    awaitOutput(process, output -> output.contains(text), "\"" + text + "\"", deadlineMs);
  }

  private static void awaitHealthLines(
      NodeProcess subscriber, String service, String transition, int times) throws Exception {
    awaitOutput(
        subscriber,
        output -> Collections.frequency(healthLines(output, service), transition) >= times,
        service + ": " + transition + " " + times + " times",
        FAILOVER_DEADLINE_MS);
  }

  private static void awaitOutput(
      NodeProcess process, Predicate<String> printed, String what, long deadlineMs)
      throws Exception {
    long giveUpAt = System.currentTimeMillis() + deadlineMs;
    while (System.currentTimeMillis() < giveUpAt) {
      if (printed.test(process.stdout())) {
        return;
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
    throw new AssertionError(
        process.name() + " never printed " + what + ":\n" + NodeProcess.tail(process.stdout()));
  }

  private static List<String> healthLines(String output, String service) {
    List<String> lines = new ArrayList<>();
    Matcher matcher = HEALTH_LINE.matcher(output);
    while (matcher.find()) {
      if (matcher.group(1).equals(service)) {
        lines.add(matcher.group(2) + " -> " + matcher.group(3));
      }
    }
    return lines;
  }
}
