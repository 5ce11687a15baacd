package io.extrophi.orchestrator.config;

import static io.extrophi.orchestrator.config.ConfigLoading.expectConfig;
import static io.extrophi.orchestrator.config.ConfigLoading.expectConfigAndWarnings;
import static io.extrophi.orchestrator.config.ConfigLoading.expectFailure;
import static io.extrophi.orchestrator.config.ConfigLoading.expectRefusal;
import static io.extrophi.orchestrator.config.ConfigLoading.isolatedIn;
import static io.extrophi.orchestrator.config.ConfigLoading.serviceNames;
import static io.extrophi.orchestrator.config.ConfigLoading.urlsByName;
import static io.extrophi.orchestrator.config.ConfigLoading.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.extrophi.orchestrator.config.source.ConfigSources;
import io.extrophi.orchestrator.testing.UnitTest;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
@UnitTest
class ConfigLoaderTest {

  /** Loading needs no fresh Vert.x per case: the extension shares the one @BeforeAll receives. */
  @BeforeAll
  static void oneVertxForTheClass(Vertx vertx) {}

  @TempDir Path dir;

  // ConfigSources.none() touches no disk: the defaults, minus services file and data directory.
  @Test
  void noSourcesAtAllYieldsTheFullDefaults(Vertx vertx, VertxTestContext ctx) {
    expectConfig(
        vertx,
        ctx,
        ConfigSources.none(),
        config -> {
          assertThat(config)
              .isEqualTo(OrchestratorConfig.builder().runtime(RuntimeSettings.inMemory()).build());
          assertThat(config.runtime().servicesFile()).isNull();
          assertThat(config.runtime().dataDir()).isNull();
        });
  }

  @Test
  void absentFilesAndIrrelevantEnvironmentYieldTheDefaultsWithoutWarnings(
      Vertx vertx, VertxTestContext ctx) {
    ConfigSources sources =
        isolatedIn(dir)
            .withEnvironment(Map.of("PATH", "/bin", "DATABASE_URL", "postgres://db"))
            .withSystemProperties(Map.of("java.version", "17"));
    expectConfigAndWarnings(
        vertx,
        ctx,
        sources,
        (config, warnings) -> {
          assertThat(config)
              .isEqualTo(OrchestratorConfig.builder().runtime(RuntimeSettings.inMemory()).build());
          assertThat(warnings).isEmpty();
        });
  }

  @Test
  void yamlServicesListReplacesTheDefaultServicesAndNameUrlKeysOverrideTheirUrl(
      Vertx vertx, VertxTestContext ctx) throws Exception {
    write(
        dir.resolve("config.yaml"),
        """
        services:
          - name: writer
            url: http://writer:8000/health
          - name: image-api
            url: http://images:9000/health
          - name: search
            url: http://search:9200/health
        HEALTH_CHECK_INTERVAL: 0.5
        """);
    write(dir.resolve(".env"), "IMAGE_API_URL=http://images.internal:9000/health\n");
    ConfigSources sources =
        isolatedIn(dir).withEnvironment(Map.of("WRITER_URL", "https://writer.prod/health"));

    expectConfig(
        vertx,
        ctx,
        sources,
        config -> {
          assertThat(urlsByName(config))
              .containsExactly(
                  entry("writer", "https://writer.prod/health"),
                  entry("image-api", "http://images.internal:9000/health"),
                  entry("search", "http://search:9200/health"));
          assertThat(config.checkInterval()).isEqualTo(Duration.ofMillis(500));
          assertThat(config.checkTimeout()).isEqualTo(OrchestratorConfig.DEFAULT_CHECK_TIMEOUT);
        });
  }

  @Test
  void readmeStyleDotEnvOverridesTheDefaultServiceUrls(Vertx vertx, VertxTestContext ctx)
      throws Exception {
    write(
        dir.resolve(".env"),
        """
        WRITER_URL="http://w:1/health"
        export RESEARCH_URL='http://r:2/health'
        HEALTH_CHECK_INTERVAL=10  # seconds
        """);
    expectConfig(
        vertx,
        ctx,
        isolatedIn(dir),
        config -> {
          assertThat(config.services())
              .extracting(ServiceDefinition::url)
              .containsExactly(
                  "http://w:1/health", "http://r:2/health", "http://localhost:8002/health");
          assertThat(config.checkInterval()).isEqualTo(Duration.ofSeconds(10));
        });
  }

  @Test
  void jsonFileIsUsedWhenNoYamlExists(Vertx vertx, VertxTestContext ctx) throws Exception {
    write(dir.resolve("config.json"), "{\"HTTP_PORT\": 9100, \"HTTP_HOST\": \"127.0.0.1\"}");
    expectConfig(
        vertx,
        ctx,
        isolatedIn(dir),
        config -> {
          assertThat(config.httpPort()).isEqualTo(9100);
          assertThat(config.httpHost()).isEqualTo("127.0.0.1");
        });
  }

  @Test
  void yamlIsPreferredWhenBothConfigFilesExist(Vertx vertx, VertxTestContext ctx) throws Exception {
    write(dir.resolve("config.yaml"), "HTTP_PORT: 9001\n");
    write(dir.resolve("config.json"), "{\"HTTP_PORT\": 9002, \"HTTP_HOST\": \"127.0.0.1\"}");
    expectConfig(
        vertx,
        ctx,
        isolatedIn(dir),
        config -> {
          assertThat(config.httpPort()).isEqualTo(9001);
          assertThat(config.httpHost()).isEqualTo(OrchestratorConfig.DEFAULT_HTTP_HOST);
        });
  }

  @Test
  void explicitConfigFileReplacesTheCandidates(Vertx vertx, VertxTestContext ctx) throws Exception {
    write(dir.resolve("config.yaml"), "HTTP_PORT: 9001\n");
    Path explicit = write(dir.resolve("custom/orchestrator.yml"), "HTTP_PORT: 9005\n");
    ConfigSources sources =
        isolatedIn(dir).withEnvironment(Map.of(ConfigKeys.CONFIG_FILE, explicit.toString()));
    expectConfig(vertx, ctx, sources, config -> assertThat(config.httpPort()).isEqualTo(9005));
  }

  @Test
  void explicitConfigFileFromSystemPropertyBeatsTheEnvironment(Vertx vertx, VertxTestContext ctx)
      throws Exception {
    Path fromEnv = write(dir.resolve("env.json"), "{\"HTTP_PORT\": 1111}");
    Path fromProperty = write(dir.resolve("prop.json"), "{\"HTTP_PORT\": 2222}");
    ConfigSources sources =
        isolatedIn(dir)
            .withEnvironment(Map.of(ConfigKeys.CONFIG_FILE, fromEnv.toString()))
            .withSystemProperties(Map.of(ConfigKeys.CONFIG_FILE, fromProperty.toString()));
    expectConfig(vertx, ctx, sources, config -> assertThat(config.httpPort()).isEqualTo(2222));
  }

  @Test
  void missingExplicitConfigFileFailsWithAClearMessage(Vertx vertx, VertxTestContext ctx) {
    String missing = dir.resolve("nope/config.yaml").toString();
    ConfigSources sources =
        isolatedIn(dir).withEnvironment(Map.of(ConfigKeys.CONFIG_FILE, missing));
    expectRefusal(
        vertx,
        ctx,
        sources,
        "invalid configuration: ORCHESTRATOR_CONFIG_FILE=\""
            + missing
            + "\" (from environment) must name an existing file");
  }

  @Test
  void explicitConfigFileWithUnsupportedExtensionFails(Vertx vertx, VertxTestContext ctx)
      throws Exception {
    Path toml = write(dir.resolve("config.toml"), "x = 1\n");
    ConfigSources sources =
        isolatedIn(dir).withSystemProperties(Map.of(ConfigKeys.CONFIG_FILE, toml.toString()));
    expectFailure(
        vertx,
        ctx,
        sources,
        error ->
            assertThat(error)
                .hasMessageEndingWith(
                    "(from system property) must name a .yaml, .yml or .json file"));
  }

  @Test
  void unparsableJsonFailsNamingTheFile(Vertx vertx, VertxTestContext ctx) throws Exception {
    Path json = write(dir.resolve("config.json"), "{ not json");
    expectFailure(
        vertx,
        ctx,
        isolatedIn(dir),
        error ->
            assertThat(error)
                .hasMessageStartingWith(
                    "invalid configuration: " + json + " cannot be parsed as JSON"));
  }

  @Test
  void urlKeyForAServiceThatIsNotConfiguredIsWarned(Vertx vertx, VertxTestContext ctx)
      throws Exception {
    write(dir.resolve("config.yaml"), "services:\n  - name: only\n    url: http://only/health\n");
    Path dotEnv = write(dir.resolve(".env"), "WRITER_URL=http://w/health\n");
    expectConfigAndWarnings(
        vertx,
        ctx,
        isolatedIn(dir),
        (config, warnings) -> {
          assertThat(serviceNames(config)).containsExactly("only");
          assertThat(warnings)
              .containsExactly(
                  "ignoring WRITER_URL in " + dotEnv + ": no configured service has this URL key");
        });
  }

  @Test
  void invalidValuesFromEnvironmentAndSystemPropertiesAreLabelledSo(
      Vertx vertx, VertxTestContext ctx) {
    ConfigSources sources =
        ConfigSources.none()
            .withEnvironment(Map.of("HTTP_PORT", "99999"))
            .withSystemProperties(Map.of("CIRCUIT_BREAKER_THRESHOLD", "2.5"));
    expectFailure(
        vertx,
        ctx,
        sources,
        error ->
            assertThat(error.getMessage())
                .isIn(
                    List.of(
                        "invalid configuration: CIRCUIT_BREAKER_THRESHOLD=\"2.5\" (from system"
                            + " property) must be a whole number from 1 to 2147483647",
                        "invalid configuration: HTTP_PORT=\"99999\" (from environment)"
                            + " must be a whole number from 0 to 65535")));
  }
}
