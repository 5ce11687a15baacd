package io.extrophi.orchestrator.config.source;

import static io.extrophi.orchestrator.testing.Checked.thenComplete;
import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.config.OrchestratorConfig;
import io.extrophi.orchestrator.config.RuntimeSettings;
import io.extrophi.orchestrator.testing.IntegrationTest;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The services file as the reload watch reads it: content and hash, followed through links. */
@ExtendWith(VertxExtension.class)
@IntegrationTest
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
    List<ServicesFileContent> stamps = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (Step step : steps) {
      chain =
          chain.compose(
              ignored -> {
                try {
                  step.run();
                  return ServicesFileWatch.read(vertx, path.call()).map(stamps::add).mapEmpty();
                } catch (Exception e) {
                  return Future.failedFuture(e);
                }
              });
    }
    chain.onComplete(
        thenComplete(
            ctx,
            done -> {
              check.check(stamps);
            }));
  }

  private void stampsOfTheFile(Vertx vertx, VertxTestContext ctx, List<Step> steps, Check check) {
    stampsAfter(vertx, ctx, steps, () -> file().toString(), check);
  }

  /** Writes {@code content} and sets the modification time back to {@code time}. */
  private Step writtenAt(String content, Instant time) {
    return () -> {
      Files.writeString(file(), content);
      Files.setLastModifiedTime(file(), FileTime.from(time));
    };
  }

  private interface Check {
    void check(List<ServicesFileContent> stamps);
  }

  @Test
  void missingFileIsAbsentAndCreatingItChangesTheStamp(Vertx vertx, VertxTestContext ctx) {
    stampsOfTheFile(
        vertx,
        ctx,
        List.of(() -> {}, () -> Files.writeString(file(), "services: []\n")),
        stamps -> {
          assertThat(stamps.get(0).exists()).isFalse();
          assertThat(stamps.get(1).exists()).isTrue();
          assertThat(stamps.get(1).bytes().toString()).isEqualTo("services: []\n");
          assertThat(stamps.get(1).sameAs(stamps.get(0))).isFalse();
        });
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "unchanged file keeps its stamp | services: [] | true",
        "editing the file changes the stamp | services: [] # edited | false"
      })
  void theStampChangesWithTheContent(
      String description,
      String secondContent,
      boolean sameStamp,
      Vertx vertx,
      VertxTestContext ctx) {
    stampsOfTheFile(
        vertx,
        ctx,
        List.of(
            () -> Files.writeString(file(), "services: []\n"),
            () -> Files.writeString(file(), secondContent + "\n")),
        stamps -> assertThat(stamps.get(1).sameAs(stamps.get(0))).isEqualTo(sameStamp));
  }

  @Test
  void sameSizeSameTimeSwapIsSeenThroughTheContent(Vertx vertx, VertxTestContext ctx) {
    Instant earlier = Instant.parse("2024-01-01T00:00:00Z");
    stampsOfTheFile(
        vertx,
        ctx,
        List.of(writtenAt("services: [a]\n", earlier), writtenAt("services: [b]\n", earlier)),
        stamps -> {
          assertThat(file().toFile().lastModified()).isEqualTo(earlier.toEpochMilli());
          assertThat(stamps.get(1).bytes().length()).isEqualTo(stamps.get(0).bytes().length());
          assertThat(stamps.get(1).sameAs(stamps.get(0))).isFalse();
        });
  }

  @Test
  void removingTheFileMakesItAbsent(Vertx vertx, VertxTestContext ctx) {
    stampsOfTheFile(
        vertx,
        ctx,
        List.of(() -> Files.writeString(file(), "services: []\n"), () -> Files.delete(file())),
        stamps -> {
          assertThat(stamps.get(0).exists()).isTrue();
          assertThat(stamps.get(1).exists()).isFalse();
        });
  }

  @Test
  void configWithoutServicesFileIsAlwaysAbsent(Vertx vertx, VertxTestContext ctx) {
    OrchestratorConfig config =
        OrchestratorConfig.builder().runtime(RuntimeSettings.inMemory()).build();
    ServicesFileWatch.read(vertx, config)
        .onComplete(
            thenComplete(
                ctx,
                stamp -> {
                  assertThat(stamp.exists()).isFalse();
                  assertThat(stamp.path()).isNull();
                }));
  }

  @Test
  void configStampFollowsItsServicesFile(Vertx vertx, VertxTestContext ctx) throws Exception {
    Files.writeString(file(), "services: []\n");
    OrchestratorConfig config =
        OrchestratorConfig.builder()
            .runtime(
                RuntimeSettings.builder().servicesFile(file().toString()).dataDir(null).build())
            .build();
    ServicesFileWatch.read(vertx, config)
        .onComplete(
            thenComplete(
                ctx,
                stamp -> {
                  assertThat(stamp.path()).isEqualTo(file().toString());
                  assertThat(stamp.sha256())
                      .isEqualTo(
                          ServicesFileWatch.sha256(
                              "services: []\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                }));
  }

  @Test
  void aSymbolicLinkIsReadAsTheFileItPointsToNow(Vertx vertx, VertxTestContext ctx) {
    Path link = dir.resolve("link.yaml");
    List<Step> createRelinkDelete =
        List.of(
            () -> {
              Files.writeString(dir.resolve("a.yaml"), "services: [a]\n");
              Files.writeString(dir.resolve("b.yaml"), "services: [b]\n");
              Files.createSymbolicLink(link, Path.of("a.yaml"));
            },
            () -> {
              Path next = dir.resolve("next-link");
              Files.createSymbolicLink(next, Path.of("b.yaml"));
              Files.move(next, link, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            },
            () -> Files.delete(dir.resolve("b.yaml")));
    stampsAfter(
        vertx,
        ctx,
        createRelinkDelete,
        link::toString,
        stamps -> {
          assertThat(stamps.get(0).bytes().toString()).isEqualTo("services: [a]\n");
          assertThat(stamps.get(1).bytes().toString()).isEqualTo("services: [b]\n");
          assertThat(stamps.get(2).exists()).as("a dangling link").isFalse();
        });
  }
}
