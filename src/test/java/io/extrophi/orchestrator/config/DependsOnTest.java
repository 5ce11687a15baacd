package io.extrophi.orchestrator.config;

import static io.extrophi.orchestrator.config.ConfigLoading.expectConfig;
import static io.extrophi.orchestrator.config.ConfigLoading.expectFailure;
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
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

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

  private void expectRejection(
      Vertx vertx, VertxTestContext ctx, String key, int line, String message) {
    expectFailure(
        vertx,
        ctx,
        withServicesFile(),
        error -> {
          assertThat(error).isInstanceOf(InvalidConfigException.class).hasMessage(message);
          InvalidConfigException invalid = (InvalidConfigException) error;
          assertThat(invalid.key()).isEqualTo(key);
          assertThat(invalid.file()).isEqualTo(servicesFile().toString());
          assertThat(invalid.line()).isEqualTo(line);
        });
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
          - name: backend
            url: http://backend/health
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

  static Stream<Arguments> refusedDependencies() {
    return Stream.of(
        Arguments.of(
            "a cycle is refused naming the file, the line and the cycle",
            """
            services:
              - name: writer
                url: http://writer/health
                depends_on: [backend]
              - name: research
                url: http://research/health
              - name: backend
                url: http://backend/health
                depends_on:
                  - research
                  - writer
            """,
            "services[2].depends_on[1]",
            11,
            "writer",
            "closes the depends_on cycle writer -> backend -> writer"),
        Arguments.of(
            "a chain of three that comes back is a cycle",
            """
            services:
              - name: a
                url: http://a/health
                depends_on: [b]
              - name: b
                url: http://b/health
                depends_on: [c]
              - name: c
                url: http://c/health
                depends_on: [a]
            """,
            "services[2].depends_on[0]",
            10,
            "a",
            "closes the depends_on cycle a -> b -> c -> a"),
        Arguments.of(
            "a service depending on itself is a cycle",
            """
            services:
              - name: writer
                url: http://writer/health
                depends_on: [writer]
            """,
            "services[0].depends_on[0]",
            4,
            "writer",
            "closes the depends_on cycle writer -> writer"),
        Arguments.of(
            "an unknown name is refused with the closest known one",
            """
            services:
              - name: writer
                url: http://writer/health
                depends_on:
                  - backnd
              - name: backend
                url: http://backend/health
            """,
            "services[0].depends_on[0]",
            5,
            "backnd",
            "is not a configured service (did you mean backend?)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusedDependencies")
  void aRefusedDependencyNamesTheFileTheLineAndTheRule(
      String description,
      String servicesYaml,
      String key,
      int line,
      String value,
      String rule,
      Vertx vertx,
      VertxTestContext ctx)
      throws Exception {
    write(servicesFile(), servicesYaml);
    expectRejection(
        vertx,
        ctx,
        key,
        line,
        "invalid configuration: "
            + key
            + "=\""
            + value
            + "\" ("
            + servicesFile()
            + " line "
            + line
            + ") "
            + rule);
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
