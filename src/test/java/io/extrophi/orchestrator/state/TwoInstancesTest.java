package io.extrophi.orchestrator.state;

import static io.extrophi.orchestrator.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.testing.IntegrationTest;
import io.extrophi.orchestrator.testing.NodeProcess;
import io.extrophi.orchestrator.testing.TargetServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two orchestrator processes on one data directory: the second is turned away with exit status 6
 * and a line naming the directory and the holder, while the first goes on serving and writing; a
 * holder killed with SIGKILL, or stopped with SIGTERM, leaves nothing that blocks the next start.
 */
@ExtendWith(VertxExtension.class)
@IntegrationTest
class TwoInstancesTest {

  private static final long START_DEADLINE_MS = 120_000;
  private static final int EXIT_DATA_DIR_LOCKED = 6;

  @TempDir Path workDir;

  private Vertx vertx;
  private TargetServer target;
  private Path dataDir;
  private final List<NodeProcess> processes = new ArrayList<>();

  @BeforeEach
  void startTarget(Vertx vertx) throws Exception {
    this.vertx = vertx;
    target = await(TargetServer.start(vertx));
    dataDir = workDir.resolve("data");
  }

  @AfterEach
  void cleanUp() throws Exception {
    for (NodeProcess process : processes) {
      process.kill();
    }
  }

  @Test
  void aSecondInstanceExitsWithStatus6NamingTheDirectoryAndHolderWhileTheFirstGoesOnWriting()
      throws Exception {
    NodeProcess first = start("first");
    awaitSaved(first, Instant.EPOCH);

    NodeProcess second = start("second");
    int status = second.awaitExit(START_DEADLINE_MS);

    assertThat(status)
        .as("exit status; stderr:\n%s", second.stderr())
        .isEqualTo(EXIT_DATA_DIR_LOCKED);
    assertThat(second.stderr())
        .contains("orchestrator: the data directory " + dataDir + " is in use by another")
        .contains("pid@host " + first.pid() + "@")
        .doesNotContain("Exception");
    assertThat(Files.readString(dataDir.resolve(DataDirectoryLock.FILE_NAME)))
        .startsWith(first.pid() + "@");
    Instant turnedAway = Instant.now();
    long checksThen = writerChecks(first);
    JsonObject persistence = awaitSaved(first, turnedAway);
    assertThat(persistence.getString("state")).isEqualTo("ok");
    first.await(
        "/health/status",
        json -> writerChecksIn(json) > checksThen,
        START_DEADLINE_MS,
        "the first instance still probing");
  }

  @Test
  void neitherAKilledHolderNorACleanlyStoppedOneBlocksTheNextStart() throws Exception {
    NodeProcess killed = start("killed");
    awaitSaved(killed, Instant.EPOCH);
    killed.kill();
    assertThat(dataDir.resolve(DataDirectoryLock.FILE_NAME)).exists();

    NodeProcess afterKill = start("after-kill");
    awaitSaved(afterKill, Instant.EPOCH);
    assertThat(afterKill.stdout()).contains("restored the state of 3 services");
    assertThat(afterKill.terminate()).isIn(0, 143);

    NodeProcess afterStop = start("after-stop");
    awaitSaved(afterStop, Instant.EPOCH);
    assertThat(afterStop.stdout()).contains("restored the state of 3 services");
  }

  private NodeProcess start(String name) throws Exception {
    int port = NodeProcess.freePort();
    NodeProcess process =
        NodeProcess.orchestrator(
            name,
            workDir.resolve(name),
            port,
            Map.of(
                "DATA_DIR", dataDir.toString(),
                "HEALTH_CHECK_INTERVAL", "1",
                "STATE_FLUSH_INTERVAL", "1",
                "WRITER_URL", target.url(),
                "RESEARCH_URL", target.url(),
                "BACKEND_URL", target.url()));
    processes.add(process);
    return process;
  }

  /** Waits for a write of the state after {@code after}; the {@code persistence} of GET /. */
  private static JsonObject awaitSaved(NodeProcess process, Instant after) throws Exception {
    return process
        .await(
            "/",
            json -> {
              String saved = json.getJsonObject("persistence").getString("last_saved");
              return saved != null && Instant.parse(saved).isAfter(after);
            },
            START_DEADLINE_MS,
            "a write of the state after " + after)
        .getJsonObject("persistence");
  }

  private static long writerChecks(NodeProcess process) {
    JsonObject status = process.get("/health/status");
    return status == null ? 0 : writerChecksIn(status);
  }

  private static long writerChecksIn(JsonObject status) {
    return status.getJsonObject("services").getJsonObject("writer").getLong("total_checks");
  }
}
