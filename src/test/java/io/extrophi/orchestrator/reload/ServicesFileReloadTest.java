package io.extrophi.orchestrator.reload;

import static io.extrophi.orchestrator.testing.Await.await;
import static io.extrophi.orchestrator.testing.Checked.thenComplete;
import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.testing.ApiClient;
import io.extrophi.orchestrator.testing.InProcessOrchestrator;
import io.extrophi.orchestrator.testing.IntegrationTest;
import io.extrophi.orchestrator.testing.TargetServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Editing the services file on disk takes effect without a restart, or is rejected whole. */
@ExtendWith(VertxExtension.class)
@IntegrationTest
class ServicesFileReloadTest {

  @TempDir Path dir;

  private Path servicesFile;
  private TargetServer target;
  private ApiClient api;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    servicesFile = dir.resolve("services.yaml");
    target = await(TargetServer.start(vertx));
    write(fleet("alpha"));
    api =
        await(
                InProcessOrchestrator.on(vertx)
                    .set("SERVICES_FILE", servicesFile.toString())
                    .set("CONFIG_RELOAD_INTERVAL", "0.1")
                    .start())
            .api();
  }

  @Test
  void anEditedFileAddsAndRemovesServicesWithinSeconds(VertxTestContext test) {
    write(fleet("beta", "gamma"));
    statusUntil(body -> serviceNames(body).contains("gamma"))
        .onComplete(
            thenComplete(
                test,
                status -> {
                  assertThat(serviceNames(status)).containsExactly("beta", "gamma");
                }));
  }

  @Test
  void anInvalidEditKeepsTheLastGoodFleetAndSaysWhere(VertxTestContext test) {
    write("services:\n  - name: alpha\n    url: " + target.url() + "\n    timeout: 0\n");
    statusUntil(body -> body.containsKey("config_error"))
        .onComplete(
            thenComplete(
                test,
                status -> {
                  assertThat(serviceNames(status)).containsExactly("alpha");
                  assertThat(status.getString("config_error"))
                      .contains("services[0].timeout")
                      .contains("line 4");
                }));
  }

  private static Set<String> serviceNames(JsonObject status) {
    return status.getJsonObject("services").fieldNames();
  }

  @Test
  void anEditThatMakesADependencyCycleIsRefusedNamingTheCycle(VertxTestContext test) {
    write(
        "services:\n"
            + "  - name: alpha\n    url: "
            + target.url()
            + "\n    depends_on: [beta]\n"
            + "  - name: beta\n    url: "
            + target.url()
            + "\n    depends_on: [alpha]\n");
    statusUntil(body -> body.containsKey("config_error"))
        .onComplete(
            test.succeeding(
                status ->
                    test.verify(
                        () -> {
                          assertThat(status.getJsonObject("services").fieldNames())
                              .containsExactly("alpha");
                          assertThat(status.getString("config_error"))
                              .contains(servicesFile + " line 7")
                              .contains("depends_on cycle alpha -> beta -> alpha");
                          test.completeNow();
                        })));
  }

  private String fleet(String... names) {
    StringBuilder yaml = new StringBuilder("services:\n");
    for (String name : names) {
      yaml.append("  - name: ").append(name).append("\n    url: ").append(target.url());
      yaml.append("?").append(name).append("\n");
    }
    return yaml.toString();
  }

  private void write(String content) {
    try {
      // Through a temporary file and a rename, as editors do, so a poll never sees half a file.
      Path temporary = dir.resolve("services.yaml.tmp");
      Files.writeString(temporary, content);
      Files.move(
          temporary,
          servicesFile,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Future<JsonObject> statusUntil(Predicate<JsonObject> condition) {
    return api.statusUntil(condition);
  }
}
