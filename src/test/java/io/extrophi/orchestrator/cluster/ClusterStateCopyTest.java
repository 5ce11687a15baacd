package io.extrophi.orchestrator.cluster;

import static io.extrophi.orchestrator.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.bench.StateFiller;
import io.extrophi.orchestrator.testing.IntegrationTest;
import io.extrophi.orchestrator.testing.LocalNodes;
import io.extrophi.orchestrator.testing.NodeProcess;
import io.extrophi.orchestrator.testing.TargetServer;
import io.extrophi.orchestrator.testing.TestConfigs;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A node joins a cluster whose node holds many services with every statistic full (written by
 * {@code bench.StateFiller}) while that node keeps probing them: the state travels in bounded
 * chunks, the node already there keeps the joining node's share until the copy is in, the results
 * that arrive during the copy are counted once, the joining node ends with the same statistics as
 * the other, and neither event loop is ever reported blocked.
 */
@ExtendWith(VertxExtension.class)
@IntegrationTest
class ClusterStateCopyTest {

  @RegisterExtension final LocalNodes processes = new LocalNodes("cluster-copy-test");

  /** About 15 MB of state: some fifteen chunks. */
  private static final int SERVICES = 1_000;

  private static final long DEADLINE_MS = 300_000;

  /** The moment up to which the nodes' counts are compared, after the copy. */
  private static final long CUTOFF_AFTER_COPY_S = 15;

  /** Time for the results up to that moment to reach both nodes on a loaded machine. */
  private static final long REPLICATION_ALLOWANCE_S = 20;

  /** Services compared: every fourth. */
  private static final int SAMPLE_EVERY = 4;

  /** The last results up to the moment compared, besides the counts. */
  private static final int RESULTS_COMPARED = 10;

  private static final Pattern COPIED =
      Pattern.compile(
          "continued from the state of node \\S+: (\\d+) services in (\\d+) ms \\((\\d+) chunks,"
              + " (\\d+) bytes, the largest (\\d+) bytes\\)");

  private static final Pattern COPYING = Pattern.compile("cluster: copying the state of node");

  /** A node's line when it counts two probing nodes: from then on it probes only its share. */
  private static final Pattern TWO_NODES = Pattern.compile("cluster: 2 orchestrator nodes, ");

  /** What Vert.x logs when an event loop ran one task for longer than its limit (2 s). */
  private static final String BLOCKED = "has been blocked for";

  /** The blocked-thread checker looks every second: a block is reported up to then after it. */
  private static final long REPORT_DELAY_MS = 2_000;

  @Test
  void aJoiningNodeCopiesAFullStateInChunksWhileTheOtherProbesItsShareAndEndsWithTheSame(
      Vertx vertx) throws Exception {
    Path workDir = processes.workDir();
    TargetServer target = await(TargetServer.start(vertx));
    // Probed every 10 s: about 100 results a second arrive while the state is copied.
    Files.writeString(
        workDir.resolve("services.yaml"),
        TestConfigs.servicesYaml(
            Collections.nCopies(SERVICES, target.url()), "interval: 10", "timeout: 5"));
    assertThat(
            NodeProcess.runTool(
                "filler",
                workDir.resolve("node0"),
                StateFiller.class,
                List.of("--services", String.valueOf(SERVICES), "--dir", "data"),
                DEADLINE_MS))
        .as("StateFiller's exit status")
        .isZero();

    LocalNodes.Cluster cluster = processes.cluster(2, "copy");
    NodeProcess first = startNode(cluster, 0);
    first.await(
        "/health/status",
        status -> status.getJsonObject("services").getJsonObject("s0").getLong("total_checks") > 0,
        DEADLINE_MS,
        "the filled state restored");
    NodeProcess joining = startNode(cluster, 1);
    joining.await(
        "/",
        json -> "ok".equals(json.getString("cluster")) && json.getInteger("cluster_members") == 2,
        DEADLINE_MS,
        "2 members, cluster ok");

    String copiedLine = awaitLine(joining, COPIED);
    Matcher copied = COPIED.matcher(copiedLine);
    assertThat(copied.find()).isTrue();
    assertThat(Integer.parseInt(copied.group(1))).as("services copied").isEqualTo(SERVICES);
    assertThat(Integer.parseInt(copied.group(3))).as("chunks").isGreaterThan(4);
    assertThat(Long.parseLong(copied.group(5)))
        .as("the largest chunk, in bytes")
        .isLessThanOrEqualTo(2L << 20);

    // The node already there handed the joining node's share over only once the copy was in: it
    // probed that share meanwhile, instead of leaving it to a node that was not probing yet.
    LocalTime handedOver = timeOf(awaitLine(first, TWO_NODES));
    assertThat(handedOver)
        .as(
            "when the first node stopped probing the joining node's share (copy ended %s)",
            timeOf(copiedLine))
        .isAfterOrEqualTo(timeOf(copiedLine));

    assertEveryServiceAgrees(first, joining);

    // While the state travelled, neither node's event loops stalled (a start on a loaded machine
    // may, before or after: not what this test is about).
    LocalTime copyBegan = timeOf(awaitLine(joining, COPYING));
    LocalTime copyEnded = timeOf(copiedLine).plusNanos(REPORT_DELAY_MS * 1_000_000);
    for (NodeProcess node : List.of(first, joining)) {
      assertThat(node.stdout().lines())
          .as(node.name() + "'s log during the copy, " + copyBegan + " to " + copyEnded)
          .filteredOn(line -> line.contains(BLOCKED))
          .filteredOn(line -> !timeOf(line).isBefore(copyBegan) && !timeOf(line).isAfter(copyEnded))
          .isEmpty();
    }
  }

  /** The time a log line begins with ({@code HH:mm:ss.SSS}). */
  private static LocalTime timeOf(String line) {
    return LocalTime.parse(line.substring(0, 12));
  }

  private NodeProcess startNode(LocalNodes.Cluster cluster, int index) throws Exception {
    Map<String, String> env = cluster.env(index);
    env.put("SERVICES_FILE", processes.workDir().resolve("services.yaml").toString());
    env.put("DATA_DIR", "data");
    return processes.start("node" + index, env);
  }

  /**
   * Every service's counts are the same on both nodes up to a moment after the copy: the checks
   * counted minus those of the results after that moment (from the history, newest first), and the
   * last results up to it. A result counted twice or lost keeps them apart for good; one still on
   * its way only until it arrives.
   */
  private static void assertEveryServiceAgrees(NodeProcess first, NodeProcess joining)
      throws Exception {
    Instant cutoff = Instant.now().plusSeconds(CUTOFF_AFTER_COPY_S);
    TimeUnit.SECONDS.sleep(CUTOFF_AFTER_COPY_S + REPLICATION_ALLOWANCE_S);
    long giveUpAt = System.currentTimeMillis() + DEADLINE_MS;
    Map<String, List<List<String>>> disagreeing = new LinkedHashMap<>();
    for (int i = 0; i < SERVICES; i += SAMPLE_EVERY) {
      String name = "s" + i;
      while (true) {
        List<String> left = countsUpTo(first, name, cutoff);
        List<String> right = countsUpTo(joining, name, cutoff);
        if (left != null && left.equals(right)) {
          disagreeing.remove(name);
          break;
        }
        disagreeing.put(name, Arrays.asList(left, right));
        if (System.currentTimeMillis() > giveUpAt) {
          break;
        }
        TimeUnit.MILLISECONDS.sleep(500);
      }
    }
    assertThat(disagreeing).as("services whose counts up to %s never agreed", cutoff).isEmpty();
  }

  /**
   * The checks and successes of {@code service} up to {@code cutoff}, and its last results up to
   * then; {@code null} when the node does not answer or a result arrived between the two reads.
   */
  private static List<String> countsUpTo(NodeProcess node, String service, Instant cutoff) {
    JsonObject history = node.get("/health/history/" + service);
    JsonObject status = node.get("/health/status/" + service);
    if (history == null || status == null) {
      return null;
    }
    List<JsonObject> results = new ArrayList<>();
    history.getJsonArray("results").forEach(result -> results.add((JsonObject) result));
    if (results.isEmpty()
        || !results.get(0).getString("checked_at").equals(status.getString("last_check"))) {
      return null;
    }
    long checks = status.getLong("total_checks");
    long successes = status.getLong("successful_checks");
    List<String> upToCutoff = new ArrayList<>();
    for (JsonObject result : results) {
      if (Instant.parse(result.getString("checked_at")).isAfter(cutoff)) {
        checks--;
        successes -= result.getBoolean("healthy") ? 1 : 0;
      } else if (upToCutoff.size() < RESULTS_COMPARED) {
        upToCutoff.add(result.encode());
      }
    }
    List<String> counts = new ArrayList<>(List.of("checks=" + checks, "successes=" + successes));
    counts.addAll(upToCutoff);
    return counts;
  }

  private static String awaitLine(NodeProcess node, Pattern pattern) throws Exception {
    long giveUpAt = System.currentTimeMillis() + DEADLINE_MS;
    while (System.currentTimeMillis() < giveUpAt) {
      for (String line : node.stdout().lines().toList()) {
        if (pattern.matcher(line).find()) {
          return line;
        }
      }
      TimeUnit.MILLISECONDS.sleep(200);
    }
    throw new AssertionError(
        node.name() + " never logged /" + pattern + "/:\n" + NodeProcess.tail(node.stdout()));
  }
}
