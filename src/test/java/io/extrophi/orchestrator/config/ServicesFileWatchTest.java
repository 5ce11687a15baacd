package io.extrophi.orchestrator.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
class ServicesFileWatchTest {

  @TempDir Path dir;

  private Path file() {
    return dir.resolve("services.yaml");
  }

  private interface Step {
    void run() throws Exception;
  }

  /** Takes a stamp after each step, in order, and hands the stamps to {@code check}. */
  private void stampsAfter(
      Vertx vertx, VertxTestContext ctx, List<Step> steps, Callable<String> path, Check check) {
    List<FileStamp> stamps = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (Step step : steps) {
      chain =
          chain.compose(
              ignored -> {
                try {
                  step.run();
                  return ServicesFileWatch.stamp(vertx, path.call()).map(stamps::add).mapEmpty();
                } catch (Exception e) {
                  return Future.failedFuture(e);
                }
              });
    }
    chain.onComplete(
        ctx.succeeding(
            done ->
                ctx.verify(
                    () -> {
                      check.check(stamps);
                      ctx.completeNow();
                    })));
  }

  private interface Check {
    void check(List<FileStamp> stamps);
  }

  @Test
  void missingFileIsAbsentAndCreatingItChangesTheStamp(Vertx vertx, VertxTestContext ctx) {
    stampsAfter(
        vertx,
        ctx,
        List.of(() -> {}, () -> Files.writeString(file(), "services: []\n")),
        () -> file().toString(),
        stamps -> {
          assertThat(stamps.get(0)).isEqualTo(FileStamp.ABSENT);
          assertThat(stamps.get(1).exists()).isTrue();
          assertThat(stamps.get(1).size()).isEqualTo(13);
          assertThat(stamps.get(1)).isNotEqualTo(stamps.get(0));
        });
  }

  @Test
  void unchangedFileKeepsItsStamp(Vertx vertx, VertxTestContext ctx) {
    stampsAfter(
        vertx,
        ctx,
        List.of(() -> Files.writeString(file(), "services: []\n"), () -> {}),
        () -> file().toString(),
        stamps -> assertThat(stamps.get(1)).isEqualTo(stamps.get(0)));
  }

  @Test
  void editingTheFileChangesTheStamp(Vertx vertx, VertxTestContext ctx) {
    stampsAfter(
        vertx,
        ctx,
        List.of(
            () -> Files.writeString(file(), "services: []\n"),
            () -> Files.writeString(file(), "services: [] # edited\n")),
        () -> file().toString(),
        stamps -> assertThat(stamps.get(1)).isNotEqualTo(stamps.get(0)));
  }

  @Test
  void sameSizeEditIsSeenThroughTheModificationTime(Vertx vertx, VertxTestContext ctx) {
    Instant earlier = Instant.parse("2024-01-01T00:00:00Z");
    stampsAfter(
        vertx,
        ctx,
        List.of(
            () -> {
              Files.writeString(file(), "services: [a]\n");
              Files.setLastModifiedTime(file(), FileTime.from(earlier));
            },
            () -> Files.writeString(file(), "services: [b]\n")),
        () -> file().toString(),
        stamps -> {
          assertThat(stamps.get(0).lastModified()).isEqualTo(earlier.toEpochMilli());
          assertThat(stamps.get(1).size()).isEqualTo(stamps.get(0).size());
          assertThat(stamps.get(1)).isNotEqualTo(stamps.get(0));
        });
  }

  @Test
  void removingTheFileMakesItAbsent(Vertx vertx, VertxTestContext ctx) {
    stampsAfter(
        vertx,
        ctx,
        List.of(() -> Files.writeString(file(), "services: []\n"), () -> Files.delete(file())),
        () -> file().toString(),
        stamps -> {
          assertThat(stamps.get(0).exists()).isTrue();
          assertThat(stamps.get(1)).isEqualTo(FileStamp.ABSENT);
        });
  }

  @Test
  void configWithoutServicesFileIsAlwaysAbsent(Vertx vertx, VertxTestContext ctx) {
    OrchestratorConfig config =
        OrchestratorConfig.defaults().withRuntime(RuntimeSettings.inMemory());
    ServicesFileWatch.stamp(vertx, config)
        .onComplete(
            ctx.succeeding(
                stamp ->
                    ctx.verify(
                        () -> {
                          assertThat(stamp).isEqualTo(FileStamp.ABSENT);
                          ctx.completeNow();
                        })));
  }

  @Test
  void configStampFollowsItsServicesFile(Vertx vertx, VertxTestContext ctx) throws Exception {
    Files.writeString(file(), "services: []\n");
    OrchestratorConfig config =
        OrchestratorConfig.defaults()
            .withRuntime(RuntimeSettings.defaults().withFiles(file().toString(), null));
    ServicesFileWatch.stamp(vertx, config)
        .onComplete(
            ctx.succeeding(
                stamp ->
                    ctx.verify(
                        () -> {
                          assertThat(stamp)
                              .isEqualTo(
                                  FileStamp.of(
                                      Files.getLastModifiedTime(file()).toMillis(),
                                      Files.size(file())));
                          ctx.completeNow();
                        })));
  }
}
