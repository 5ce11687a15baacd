package io.extrophi.orchestrator.state;

import static io.extrophi.orchestrator.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.extrophi.orchestrator.MainVerticle;
import io.extrophi.orchestrator.config.ConfigSources;
import io.extrophi.orchestrator.testing.IntegrationTest;
import io.extrophi.orchestrator.testing.TargetServer;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
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
    String firstId = await(first.deployVerticle(orchestrator(target, data)));

    assertThatThrownBy(() -> await(second.deployVerticle(orchestrator(target, data))))
        .hasCauseInstanceOf(DataDirectoryLockedException.class)
        .hasMessageContaining("the data directory " + data + " is in use by another orchestrator");

    await(first.undeploy(firstId));
    await(second.deployVerticle(orchestrator(target, data)));
  }

  private static MainVerticle orchestrator(TargetServer target, Path data) {
    return new MainVerticle(
        ConfigSources.none()
            .withEnvironment(
                Map.of(
                    "HTTP_HOST", "127.0.0.1",
                    "HTTP_PORT", "0",
                    "DATA_DIR", data.toString(),
                    "WRITER_URL", target.url(),
                    "RESEARCH_URL", target.url(),
                    "BACKEND_URL", target.url())),
        false,
        false);
  }
}
