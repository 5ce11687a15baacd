package io.extrophi.orchestrator.config;

import static io.extrophi.orchestrator.config.ConfigLoading.expectConfig;
import static io.extrophi.orchestrator.config.ConfigLoading.expectConfigAndWarnings;
import static io.extrophi.orchestrator.config.ConfigLoading.expectFailure;
import static io.extrophi.orchestrator.config.ConfigLoading.expectRefusal;
import static io.extrophi.orchestrator.config.ConfigLoading.isolatedIn;
import static io.extrophi.orchestrator.config.ConfigLoading.namingServicesFileIn;
import static io.extrophi.orchestrator.config.ConfigLoading.serviceNames;
import static io.extrophi.orchestrator.config.ConfigLoading.servicesFileIn;
import static io.extrophi.orchestrator.config.ConfigLoading.urlsByName;
import static io.extrophi.orchestrator.config.ConfigLoading.write;
import static io.extrophi.orchestrator.testing.Checked.thenComplete;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.extrophi.orchestrator.config.source.ConfigLoader;
import io.extrophi.orchestrator.config.source.ConfigSources;
import io.extrophi.orchestrator.testing.UnitTest;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The services file end to end: real files, the loader, precedence and file+line messages. */
@ExtendWith(VertxExtension.class)
@UnitTest
class ServicesFileTest {

  /** Loading needs no fresh Vert.x per case: the extension shares the one @BeforeAll receives. */
  @BeforeAll
  static void oneVertxForTheClass(Vertx vertx) {}

  @TempDir Path dir;

  private Path servicesFile() {
    return servicesFileIn(dir);
  }

  private ConfigSources withServicesFile() {
    return namingServicesFileIn(dir);
  }

  private static String twoServices(String first, String second) {
    return "services:\n  - name: "
        + first
        + "\n    url: http://"
        + first
        + "/health\n  - name: "
        + second
        + "\n    url: http://"
        + second
        + "/health\n";
  }

  @Test
  void theExampleOfTheSpecificationIsParsedCompletely(Vertx vertx, VertxTestContext ctx)
      throws Exception {
    write(
        servicesFile(),
        """
        services:
          - name: payments            # required, unique
            url: https://payments.internal/healthz
            method: GET
            interval: 10
            timeout: 2
            expected_status: [200, "300-399"]
            headers:
              Authorization: Bearer abc
            body:
              json_pointer: /status
              equals: UP
              contains: "ok"
              matches: "\\"db\\":\\\\s*\\"up\\""
            tags: [critical, payments]
          - name: ledger
            url: http://ledger:8080/health
            method: get
            expected_status: "200-299,304"
            body:
              json_pointer: /checks/0
              equals: {db: true, lag: 3}
        """);
    expectConfig(
        vertx,
        ctx,
        withServicesFile(),
        config -> {
          assertThat(config.runtime().servicesFile()).isEqualTo(servicesFile().toString());
          ServiceDefinition payments = config.service("payments").orElseThrow();
          assertThat(payments.url()).isEqualTo("https://payments.internal/healthz");
          assertThat(payments.method()).isEqualTo("GET");
          assertThat(payments.interval()).isEqualTo(Duration.ofSeconds(10));
          assertThat(payments.timeout()).isEqualTo(Duration.ofSeconds(2));
          assertThat(payments.expectedStatus()).hasToString("200,300-399");
          assertThat(payments.headers()).containsExactly(Map.entry("Authorization", "Bearer abc"));
          assertThat(payments.bodyCondition().jsonPointer()).isEqualTo("/status");
          assertThat(payments.bodyCondition().equalsValue()).isEqualTo("UP");
          assertThat(payments.bodyCondition().contains()).isEqualTo("ok");
          assertThat(payments.bodyCondition().matches().pattern()).isEqualTo("\"db\":\\s*\"up\"");
          assertThat(payments.tags()).containsExactly("critical", "payments");

          ServiceDefinition ledger = config.service("ledger").orElseThrow();
          assertThat(ledger.method()).isEqualTo("GET");
          assertThat(ledger.interval()).isEqualTo(OrchestratorConfig.DEFAULT_CHECK_INTERVAL);
          assertThat(ledger.timeout()).isEqualTo(OrchestratorConfig.DEFAULT_CHECK_TIMEOUT);
          assertThat(ledger.expectedStatus()).hasToString("200-299,304");
          assertThat(ledger.bodyCondition().equalsValue())
              .isEqualTo(new JsonObject().put("db", true).put("lag", 3));
        });
  }

  @Test
  void servicesFileBeatsTheConfigFileListWhichIsIgnoredWithAWarning(
      Vertx vertx, VertxTestContext ctx) throws Exception {
    Path config = write(dir.resolve("config.yaml"), twoServices("from-config", "other"));
    write(servicesFile(), twoServices("from-file", "second"));
    expectConfigAndWarnings(
        vertx,
        ctx,
        withServicesFile(),
        (loaded, warnings) -> {
          assertThat(serviceNames(loaded)).containsExactly("from-file", "second");
          assertThat(warnings)
              .containsExactly(
                  "ignoring the services list in "
                      + config
                      + ": the services come from "
                      + servicesFile());
        });
  }

  @Test
  void configFileListAppliesWhenTheServicesFileIsDisabled(Vertx vertx, VertxTestContext ctx)
      throws Exception {
    write(
        dir.resolve("config.yaml"), twoServices("from-config", "other") + "SERVICES_FILE: none\n");
    write(servicesFile(), twoServices("from-file", "second"));
    expectConfig(
        vertx,
        ctx,
        isolatedIn(dir),
        config -> {
          assertThat(config.runtime().servicesFile()).isNull();
          assertThat(serviceNames(config)).containsExactly("from-config", "other");
        });
  }

  @Test
  void configFileListAppliesWhenTheDefaultServicesFileIsMissing(Vertx vertx, VertxTestContext ctx)
      throws Exception {
    write(dir.resolve("config.yaml"), twoServices("from-config", "other"));
    String missing = dir.resolve("absent/services.yaml").toString();
    // Not set by any layer: only the default, which is optional.
    ConfigSources sources =
        isolatedIn(dir)
            .withRuntimeDefaults(
                RuntimeSettings.builder().servicesFile(missing).dataDir(null).build());
    expectConfig(
        vertx,
        ctx,
        sources,
        config -> {
          assertThat(config.runtime().servicesFile()).isEqualTo(missing);
          assertThat(serviceNames(config)).containsExactly("from-config", "other");
        });
  }

  @Test
  void builtInServicesApplyWithoutServicesFileAndConfigList(Vertx vertx, VertxTestContext ctx) {
    expectConfig(
        vertx,
        ctx,
        isolatedIn(dir),
        config -> assertThat(config.services()).isEqualTo(OrchestratorConfig.DEFAULT_SERVICES));
  }

  @Test
  void serviceUrlOverridesApplyOnTopOfTheServicesFile(Vertx vertx, VertxTestContext ctx)
      throws Exception {
    write(servicesFile(), twoServices("image-api", "search"));
    write(dir.resolve(".env"), "SEARCH_URL=http://search.dotenv/health\n");
    ConfigSources sources =
        isolatedIn(dir)
            .withEnvironment(
                Map.of(
                    ConfigKeys.SERVICES_FILE,
                    servicesFile().toString(),
                    "IMAGE_API_URL",
                    "https://images.prod/health"));
    expectConfig(
        vertx,
        ctx,
        sources,
        config ->
            assertThat(urlsByName(config))
                .containsExactly(
                    entry("image-api", "https://images.prod/health"),
                    entry("search", "http://search.dotenv/health")));
  }

  @Test
  void servicesFileCanBeNamedFromEveryLayer(Vertx vertx, VertxTestContext ctx) throws Exception {
    write(servicesFile(), twoServices("a", "b"));
    write(dir.resolve(".env"), "SERVICES_FILE=" + servicesFile() + "\n");
    expectConfig(
        vertx,
        ctx,
        isolatedIn(dir),
        config -> assertThat(serviceNames(config)).containsExactly("a", "b"));
  }

  @Test
  void explicitServicesFileMustExist(Vertx vertx, VertxTestContext ctx) {
    String missing = dir.resolve("nope.yaml").toString();
    expectRefusal(
        vertx,
        ctx,
        isolatedIn(dir).withSystemProperties(Map.of(ConfigKeys.SERVICES_FILE, missing)),
        "invalid configuration: SERVICES_FILE=\""
            + missing
            + "\" (from system property) must name an existing file (or none to disable it)");
  }

  @Test
  void nestedErrorsPointAtTheNestedLine(Vertx vertx, VertxTestContext ctx) throws Exception {
    write(
        servicesFile(),
        """
        services:
          - name: writer
            url: http://writer/health
            body:
              contains: ok
              matches: "(unclosed"
            tags:
              - fine
              - Not-Fine
        """);
    expectFailure(
        vertx,
        ctx,
        withServicesFile(),
        error ->
            assertThat(error)
                .hasMessageStartingWith(
                    "invalid configuration: services[0].body.matches=\"(unclosed\" ("
                        + servicesFile()
                        + " line 6) must be a valid Java regular expression: Unclosed group"));
  }

  @Test
  void configFileServicesWithOptionsLoad(Vertx vertx, VertxTestContext ctx) throws Exception {
    write(
        dir.resolve("config.yaml"),
        """
        HEALTH_CHECK_TIMEOUT: 4
        services:
          - name: writer
            url: http://writer/health
            method: HEAD
            tags: [core]
        """);
    expectConfig(
        vertx,
        ctx,
        isolatedIn(dir),
        config -> {
          ServiceDefinition writer = config.services().get(0);
          assertThat(writer.method()).isEqualTo("HEAD");
          assertThat(writer.tags()).containsExactly("core");
          assertThat(writer.timeout()).isEqualTo(Duration.ofSeconds(4));
        });
  }

  @Test
  void valueOverriddenByTheEnvironmentIsReportedThere(Vertx vertx, VertxTestContext ctx)
      throws Exception {
    write(dir.resolve("config.yaml"), "HISTORY_SIZE: 5\n");
    expectRefusal(
        vertx,
        ctx,
        isolatedIn(dir).withEnvironment(Map.of(ConfigKeys.HISTORY_SIZE, "0")),
        "invalid configuration: HISTORY_SIZE=\"0\" (from environment)"
            + " must be a whole number from 1 to 10000");
  }

  @Test
  void noneSourcesNeverReadTheServicesFileNorSetADataDir(Vertx vertx, VertxTestContext ctx) {
    // The working directory is the project, whose conf/services.yaml exists: none() ignores it.
    assertThat(Path.of(RuntimeSettings.DEFAULT_SERVICES_FILE)).exists();
    expectConfig(
        vertx,
        ctx,
        ConfigSources.none(),
        config -> {
          assertThat(config.runtime().servicesFile()).isNull();
          assertThat(config.runtime().dataDir()).isNull();
          assertThat(config.runtime()).isEqualTo(RuntimeSettings.inMemory());
        });
  }

  @Test
  void noneSourcesHonourServicesFileAndDataDirFromTheEnvironment(Vertx vertx, VertxTestContext ctx)
      throws Exception {
    write(servicesFile(), twoServices("a", "b"));
    ConfigSources sources =
        ConfigSources.none()
            .withEnvironment(
                Map.of(
                    ConfigKeys.SERVICES_FILE,
                    servicesFile().toString(),
                    ConfigKeys.DATA_DIR,
                    dir.resolve("state").toString()));
    expectConfig(
        vertx,
        ctx,
        sources,
        config -> {
          assertThat(serviceNames(config)).containsExactly("a", "b");
          assertThat(config.runtime().dataDir()).isEqualTo(dir.resolve("state").toString());
          // Configuring a data directory does not create it: loading has no side effects.
          assertThat(dir.resolve("state")).doesNotExist();
        });
  }

  @Test
  void shippedConfAndServicesFilesEqualTheBuiltInDefaults(Vertx vertx, VertxTestContext ctx) {
    // The real files of the project, read the way fromProcess() does but with an empty env.
    ConfigSources sources =
        new ConfigSources(
            ConfigSources.DEFAULT_CONFIG_FILES,
            null,
            Map.of(),
            Map.of(),
            RuntimeSettings.defaults());
    expectConfigAndWarnings(
        vertx,
        ctx,
        sources,
        (config, warnings) -> {
          assertThat(config).isEqualTo(OrchestratorConfig.defaults());
          assertThat(warnings).isEmpty();
        });
  }

  @Test
  void loadingAgainSeesAnEditedServicesFile(Vertx vertx, VertxTestContext ctx) throws Exception {
    write(servicesFile(), twoServices("a", "b"));
    ConfigLoader.load(vertx, withServicesFile())
        .compose(
            first -> {
              try {
                Files.writeString(servicesFile(), twoServices("a", "c"));
              } catch (Exception e) {
                return io.vertx.core.Future.failedFuture(e);
              }
              return ConfigLoader.load(vertx, withServicesFile())
                  .map(second -> List.of(first, second));
            })
        .onComplete(
            thenComplete(
                ctx,
                both -> {
                  assertThat(serviceNames(both.get(0))).containsExactly("a", "b");
                  assertThat(serviceNames(both.get(1))).containsExactly("a", "c");
                }));
  }
}
