package io.extrophi.orchestrator.config;

import static io.extrophi.orchestrator.config.ConfigLoading.expectConfig;
import static io.extrophi.orchestrator.config.ConfigLoading.isolatedIn;
import static io.extrophi.orchestrator.config.ConfigLoading.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.config.source.ConfigSources;
import io.extrophi.orchestrator.config.source.DefaultSettings;
import io.extrophi.orchestrator.testing.UnitTest;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Stacks the layers bottom-up (defaults, config file, .env, environment, system properties) with a
 * distinct value in each, so the topmost present layer must win.
 */
@ExtendWith(VertxExtension.class)
@UnitTest
class ConfigPrecedenceTest {

  /** Loading needs no fresh Vert.x per case: the extension shares the one @BeforeAll receives. */
  @BeforeAll
  static void oneVertxForTheClass(Vertx vertx) {}

  @TempDir Path dir;

  private ConfigSources layers(int count, String key, String... values) throws Exception {
    ConfigSources sources = isolatedIn(dir);
    if (count >= 1) {
      write(dir.resolve("config.yaml"), key + ": " + values[0] + "\n");
    }
    if (count >= 2) {
      write(dir.resolve(".env"), key + "=" + values[1] + "\n");
    }
    if (count >= 3) {
      sources = sources.withEnvironment(Map.of(key, values[2]));
    }
    if (count >= 4) {
      sources = sources.withSystemProperties(Map.of(key, values[3]));
    }
    return sources;
  }

  /** Loads the {@code count} lowest layers, each holding its own value for {@code key}. */
  private void expectTopLayer(
      Vertx vertx,
      VertxTestContext ctx,
      int count,
      String key,
      ConfigLoading.ConfigCheck check,
      String... values)
      throws Exception {
    expectConfig(vertx, ctx, layers(count, key, values), check);
  }

  @ParameterizedTest(name = "{1} wins")
  @CsvSource({
    "0, defaults, 30",
    "1, config file, 11",
    "2, .env, 12",
    "3, environment, 13",
    "4, system properties, 14"
  })
  void eachLayerBeatsTheOnesBelowIt(
      int layerCount, String winner, long expectedSeconds, Vertx vertx, VertxTestContext ctx)
      throws Exception {
    expectTopLayer(
        vertx,
        ctx,
        layerCount,
        ConfigKeys.HEALTH_CHECK_INTERVAL,
        config -> assertThat(config.checkInterval()).isEqualTo(Duration.ofSeconds(expectedSeconds)),
        "11",
        "12",
        "13",
        "14");
  }

  @ParameterizedTest(name = "{0}: {2} wins")
  @CsvSource({
    "MAX_BODY_BYTES, 0, defaults, 65536",
    "MAX_BODY_BYTES, 2, .env, 12",
    "MAX_BODY_BYTES, 4, system properties, 14",
    "HISTORY_SIZE, 1, config file, 11",
    "HISTORY_SIZE, 3, environment, 13",
    "MAX_IN_FLIGHT_PROBES, 4, system properties, 14",
    "CONFIG_RELOAD_INTERVAL, 3, environment, 13",
    "STATE_FLUSH_INTERVAL, 2, .env, 12"
  })
  void newRuntimeKeysFollowTheSamePrecedence(
      String key, int layerCount, String winner, String expected, Vertx vertx, VertxTestContext ctx)
      throws Exception {
    expectTopLayer(
        vertx,
        ctx,
        layerCount,
        key,
        config ->
            assertThat(DefaultSettings.of(config).getValue(key).toString()).isEqualTo(expected),
        "11",
        "12",
        "13",
        "14");
  }

  @ParameterizedTest(name = "{1} wins")
  @CsvSource({
    "0, defaults, http://localhost:8000/health",
    "1, config file, http://file/health",
    "2, .env, http://dotenv/health",
    "3, environment, http://env/health",
    "4, system properties, http://sysprop/health"
  })
  void serviceUrlOverridesFollowTheSamePrecedence(
      int layerCount, String winner, String expectedUrl, Vertx vertx, VertxTestContext ctx)
      throws Exception {
    expectTopLayer(
        vertx,
        ctx,
        layerCount,
        ConfigKeys.WRITER_URL,
        config -> assertThat(config.services().get(0).url()).isEqualTo(expectedUrl),
        "http://file/health",
        "http://dotenv/health",
        "http://env/health",
        "http://sysprop/health");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "HTTP_HOST, 127.0.0.1",
    "HTTP_PORT, 0",
    "HEALTH_CHECK_TIMEOUT, 2.5",
    "CIRCUIT_BREAKER_THRESHOLD, 9",
    "CIRCUIT_BREAKER_SUCCESS_THRESHOLD, 4",
    "CIRCUIT_BREAKER_RESET_TIMEOUT, 120",
    "SERVICES_FILE, none",
    "CONFIG_RELOAD_INTERVAL, 0.5",
    "MAX_BODY_BYTES, 1024",
    "MAX_IN_FLIGHT_PROBES, 50",
    "HISTORY_SIZE, 7",
    "DATA_DIR, /var/lib/orchestrator",
    "STATE_FLUSH_INTERVAL, 30"
  })
  void everyScalarKeyCanBeSetAsASystemProperty(
      String key, String value, Vertx vertx, VertxTestContext ctx) {
    ConfigSources sources = isolatedIn(dir).withSystemProperties(Map.of(key, value));
    expectConfig(
        vertx,
        ctx,
        sources,
        config -> assertThat(DefaultSettings.of(config).getValue(key).toString()).isEqualTo(value));
  }
}
