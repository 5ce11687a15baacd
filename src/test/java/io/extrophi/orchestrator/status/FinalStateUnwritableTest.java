package io.extrophi.orchestrator.status;

import static io.extrophi.orchestrator.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.testing.Await;
import io.extrophi.orchestrator.testing.IntegrationTest;
import io.extrophi.orchestrator.testing.NodeProcess;
import io.extrophi.orchestrator.testing.TargetServer;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM while the state cannot be written: one clear line says the final state could not be
 * written and why, no stack trace, and the process exits as it always does. The data directory is
 * made unusable by moving it away and putting a regular file in its place (the tests run as root,
 * for whom neither permissions nor a read-only directory stand in the way).
 */
@IntegrationTest
class FinalStateUnwritableTest {

  @TempDir Path workDir;

  private final Vertx vertx = Vertx.vertx();
  private NodeProcess process;

  @AfterEach
  void cleanUp() throws Exception {
    if (process != null) {
      process.kill();
    }
    await(vertx.close());
  }

  @Test
  void sigtermWithAnUnwritableDataDirectorySaysSoInOneLineAndExitsAsUsual() throws Exception {
    TargetServer target = await(TargetServer.start(vertx));
    int port = NodeProcess.freePort();
    Path dataDir = Files.createDirectories(workDir.resolve("data"));
    process =
        NodeProcess.orchestrator(
            "orchestrator",
            workDir,
            port,
            Map.of(
                "DATA_DIR", dataDir.toString(),
                // Only the final flush on the way out may write.
                "STATE_FLUSH_INTERVAL", "600",
                "WRITER_URL", target.url(),
                "RESEARCH_URL", target.url(),
                "BACKEND_URL", target.url()));
    process.await(
        "/health/status",
        status ->
            status.getJsonObject("services").getJsonObject("writer").getLong("total_checks") > 0,
        120_000,
        "a first check");
    // Fully started (the launcher's deployment complete), so the stop below is an ordinary one.
    Await.until(() -> stdoutOf(process).contains("started in"), 120_000);
    Files.move(dataDir, workDir.resolve("data-moved-away"));
    Files.writeString(dataDir, "a file where the data directory was");

    int exitStatus = process.terminate();

    assertThat(exitStatus).isIn(0, 143);
    String output = process.stdout() + process.stderr();
    List<String> aboutTheState =
        output.lines().filter(line -> line.contains(dataDir.toString())).toList();
    assertThat(aboutTheState)
        .singleElement()
        .asString()
        .contains("the final state could not be written to " + dataDir.resolve("state.bin"))
        .contains(": file exists;");
    assertThat(output).doesNotContain("Exception").doesNotContain("\tat ");
  }

  private static String stdoutOf(NodeProcess process) {
    try {
      return process.stdout();
    } catch (IOException unreadable) {
      return "";
    }
  }
}
