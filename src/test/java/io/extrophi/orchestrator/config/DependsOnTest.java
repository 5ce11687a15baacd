package io.extrophi.orchestrator.config;

import static io.extrophi.orchestrator.config.ConfigLoading.expectConfig;
import static io.extrophi.orchestrator.config.ConfigLoading.namingServicesFileIn;
import static io.extrophi.orchestrator.config.ConfigLoading.servicesFileIn;
import static io.extrophi.orchestrator.config.ConfigLoading.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.config.source.ConfigSources;
import io.extrophi.orchestrator.testing.UnitTest;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code depends_on} in a real services file: read, and refused naming file, line and cycle. */
@ExtendWith(VertxExtension.class)
@UnitTest
class DependsOnTest {

  @TempDir Path dir;

  private Path servicesFile() {
    return servicesFileIn(dir);
  }

  private ConfigSources withServicesFile() {
    return namingServicesFileIn(dir);
  }

  @Test
  void dependenciesAreReadInTheirOrderAndLeaveTheCheckAlone(Vertx vertx, VertxTestContext ctx)
      throws Exception {
    write(
        servicesFile(),
        """
        services:
          - name: writer
            url: http://writer/health
            depends_on: [backend, research]
          - name: research
            url: http://research/health
            depends_on:
              - backend
          - {name: backend, url: http://backend/health}
        """);
    expectConfig(
        vertx,
        ctx,
        withServicesFile(),
        config -> {
          ServiceDefinition writer = config.service("writer").orElseThrow();
          assertThat(writer.dependsOn()).containsExactly("backend", "research");
          assertThat(config.dependencies().dependenciesOf("research")).containsExactly("backend");
          assertThat(config.dependencies().dependenciesOf("backend")).isEmpty();
          ServiceDefinition alone = writer.toBuilder().dependsOn(List.of()).build();
          assertThat(writer.sameCheckAs(alone)).isTrue();
          assertThat(writer.checkIdentity()).isEqualTo(alone.checkIdentity());
          assertThat(OrchestratorConfig.fromJson(config.toJson())).isEqualTo(config);
        });
  }

  @Test
  void aDependencyListMustBeAListOfNamesWithoutRepeats() {
    ConfigCases.assertRejected(
        ConfigCases.withServices(
            ConfigCases.defaultsWith(ConfigKeys.HTTP_PORT, 0),
            ConfigCases.entry("writer").put("depends_on", "backend"),
            ConfigCases.entry("backend")),
        "services[0].depends_on",
        "must be a list of service names");
    ConfigCases.assertRejected(
        ConfigCases.withServices(
            ConfigCases.defaultsWith(ConfigKeys.HTTP_PORT, 0),
            ConfigCases.entry("writer")
                .put("depends_on", new JsonArray().add("backend").add("backend")),
            ConfigCases.entry("backend")),
        "services[0].depends_on[1]",
        "repeats an earlier dependency");
  }
}
