package io.extrophi.orchestrator.config;

import static io.extrophi.orchestrator.config.ConfigLoading.expectConfig;
import static io.extrophi.orchestrator.config.ConfigLoading.expectFailure;
import static io.extrophi.orchestrator.config.ConfigLoading.isolatedIn;
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
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code depends_on} in a real services file: read, and refused naming file, line and cycle. */
@ExtendWith(VertxExtension.class)
@UnitTest
class DependsOnTest {

  @TempDir Path dir;

  private Path servicesFile() {
    return dir.resolve("services.yaml");
  }

  private ConfigSources withServicesFile() {
    return isolatedIn(dir)
        .withEnvironment(Map.of(ConfigKeys.SERVICES_FILE, servicesFile().toString()));
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

  @Test
  void aCycleIsRefusedNamingTheFileTheLineAndTheCycle(Vertx vertx, VertxTestContext ctx)
      throws Exception {
    write(
        servicesFile(),
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
        """);
    expectRejection(
        vertx,
        ctx,
        "services[2].depends_on[1]",
        11,
        "invalid configuration: services[2].depends_on[1]=\"writer\" ("
            + servicesFile()
            + " line 11) closes the depends_on cycle writer -> backend -> writer");
  }

  @Test
  void aChainOfThreeThatComesBackIsACycle(Vertx vertx, VertxTestContext ctx) throws Exception {
    write(
        servicesFile(),
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
        """);
    expectRejection(
        vertx,
        ctx,
        "services[2].depends_on[0]",
        10,
        "invalid configuration: services[2].depends_on[0]=\"a\" ("
            + servicesFile()
            + " line 10) closes the depends_on cycle a -> b -> c -> a");
  }

  @Test
  void aServiceDependingOnItselfIsACycle(Vertx vertx, VertxTestContext ctx) throws Exception {
    write(
        servicesFile(),
        """
        services:
          - name: writer
            url: http://writer/health
            depends_on: [writer]
        """);
    expectRejection(
        vertx,
        ctx,
        "services[0].depends_on[0]",
        4,
        "invalid configuration: services[0].depends_on[0]=\"writer\" ("
            + servicesFile()
            + " line 4) closes the depends_on cycle writer -> writer");
  }

  @Test
  void anUnknownNameIsRefusedWithTheClosestKnownOne(Vertx vertx, VertxTestContext ctx)
      throws Exception {
    write(
        servicesFile(),
        """
        services:
          - name: writer
            url: http://writer/health
            depends_on:
              - backnd
          - name: backend
            url: http://backend/health
        """);
    expectRejection(
        vertx,
        ctx,
        "services[0].depends_on[0]",
        5,
        "invalid configuration: services[0].depends_on[0]=\"backnd\" ("
            + servicesFile()
            + " line 5) is not a configured service (did you mean backend?)");
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
