package io.extrophi.orchestrator.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.config.source.ConfigLoader;
import io.extrophi.orchestrator.config.source.ConfigSources;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxTestContext;
import io.vertx.junit5.VertxTestContext.ExecutionBlock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Shared steps of the loader tests: write real files, load, and check inside the test context. */
final class ConfigLoading {

  private ConfigLoading() {}

  /** Sources reading only files under {@code dir}, with an empty environment. */
  static ConfigSources isolatedIn(Path dir) {
    return ConfigSources.none()
        .withConfigFileCandidates(
            List.of(dir.resolve("config.yaml").toString(), dir.resolve("config.json").toString()))
        .withDotEnvPath(dir.resolve(".env").toString());
  }

  /** Where the services-file tests put the services file. */
  static Path servicesFileIn(Path dir) {
    return dir.resolve("services.yaml");
  }

  /** Isolated sources that read {@code dir/services.yaml}, named explicitly (so it must exist). */
  static ConfigSources namingServicesFileIn(Path dir) {
    return isolatedIn(dir)
        .withEnvironment(Map.of(ConfigKeys.SERVICES_FILE, servicesFileIn(dir).toString()));
  }

  static Path write(Path file, String content) throws IOException {
    Files.createDirectories(file.getParent());
    return Files.writeString(file, content);
  }

  interface ConfigCheck {
    void check(OrchestratorConfig config) throws Throwable;
  }

  static void expectConfig(
      Vertx vertx, VertxTestContext ctx, ConfigSources sources, ConfigCheck check) {
    ConfigLoader.load(vertx, sources)
        .onComplete(
            ctx.succeeding(
                config -> ctx.verify(verifyThenComplete(ctx, () -> check.check(config)))));
  }

  interface WarnedConfigCheck {
    void check(OrchestratorConfig config, List<String> warnings) throws Throwable;
  }

  /** As {@link #expectConfig}, also handing over the warnings the config package logged. */
  static void expectConfigAndWarnings(
      Vertx vertx, VertxTestContext ctx, ConfigSources sources, WarnedConfigCheck check) {
    LogCapture log = new LogCapture();
    expectConfig(
        vertx,
        ctx,
        sources,
        config -> {
          log.close();
          check.check(config, log.warnings());
        });
  }

  /** The names of the configured services, in order. */
  static List<String> serviceNames(OrchestratorConfig config) {
    return config.services().stream().map(ServiceDefinition::name).toList();
  }

  /** Each configured service's URL by its name, in the order of the services. */
  static Map<String, String> urlsByName(OrchestratorConfig config) {
    Map<String, String> urls = new LinkedHashMap<>();
    config.services().forEach(service -> urls.put(service.name(), service.url()));
    return urls;
  }

  static void expectFailure(
      Vertx vertx, VertxTestContext ctx, ConfigSources sources, Consumer<Throwable> check) {
    ConfigLoader.load(vertx, sources)
        .onComplete(
            ctx.failing(error -> ctx.verify(verifyThenComplete(ctx, () -> check.accept(error)))));
  }

  /** Loading stops with exactly {@code message}. */
  static void expectMessage(
      Vertx vertx, VertxTestContext ctx, ConfigSources sources, String message) {
    expectFailure(vertx, ctx, sources, error -> assertThat(error).hasMessage(message));
  }

  /** Loading stops with an {@link InvalidConfigException} of one line, exactly {@code message}. */
  static void expectRefusal(
      Vertx vertx, VertxTestContext ctx, ConfigSources sources, String message) {
    expectOneLineRefusal(vertx, ctx, sources, actual -> assertThat(actual).isEqualTo(message));
  }

  /** Loading stops with an {@link InvalidConfigException} whose one-line message passes. */
  static void expectOneLineRefusal(
      Vertx vertx, VertxTestContext ctx, ConfigSources sources, Consumer<String> messageCheck) {
    expectFailure(
        vertx,
        ctx,
        sources,
        error -> {
          assertThat(error).isInstanceOf(InvalidConfigException.class);
          assertThat(error.getMessage()).doesNotContain("\n");
          messageCheck.accept(error.getMessage());
        });
  }

  private static ExecutionBlock verifyThenComplete(VertxTestContext ctx, ExecutionBlock block) {
    return () -> {
      block.apply();
      ctx.completeNow();
    };
  }
}
