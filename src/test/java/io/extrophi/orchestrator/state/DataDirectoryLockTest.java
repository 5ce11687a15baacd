package io.extrophi.orchestrator.state;

import static io.extrophi.orchestrator.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.extrophi.orchestrator.testing.InProcessOrchestrator;
import io.extrophi.orchestrator.testing.IntegrationTest;
import io.extrophi.orchestrator.testing.TargetServer;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lock within one JVM, where tests start many orchestrators one after another: a second claim
 * is turned away while the first holds it, and a clean stop (undeploy) releases it.
 */
@IntegrationTest
class DataDirectoryLockTest {

  @TempDir Path dir;

  private final Vertx first = Vertx.vertx();
  private final Vertx second = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    await(first.close());
    await(second.close());
  }

  @Test
  void aSecondLockOfTheSameDirectoryNamesTheHolderAndCloseReleasesIt() throws Exception {
    Path data = dir.resolve("data");
    DataDirectoryLock held = DataDirectoryLock.acquire(data.toString());
    String holder = ProcessHandle.current().pid() + "@";
    assertThat(Files.readString(data.resolve(DataDirectoryLock.FILE_NAME))).startsWith(holder);

    // Another spelling of the same directory is the same lock.
    assertThatThrownBy(() -> DataDirectoryLock.acquire(dir.resolve("x/../data").toString()))
        .isInstanceOf(DataDirectoryLockedException.class)
        .hasMessageContaining("x/../data is in use by another orchestrator")
        .hasMessageContaining("pid@host " + holder);

    held.close();
    DataDirectoryLock.acquire(data.toString()).close();
  }

  @Test
  void aSecondOrchestratorOnTheDirectoryFailsToStartUntilTheFirstIsUndeployed() throws Exception {
    TargetServer target = await(TargetServer.start(first));
    Path data = dir.resolve("data");
    InProcessOrchestrator running = await(orchestrator(first, target, data).start());

    assertThatThrownBy(() -> await(orchestrator(second, target, data).start()))
        .hasCauseInstanceOf(DataDirectoryLockedException.class)
        .hasMessageContaining("the data directory " + data + " is in use by another orchestrator");

    await(running.stop());
    await(orchestrator(second, target, data).start());
  }

  private static InProcessOrchestrator.Builder orchestrator(
      Vertx vertx, TargetServer target, Path data) {
    return InProcessOrchestrator.on(vertx)
        .monitoring(target.url())
        .set("DATA_DIR", data.toString());
  }
}
