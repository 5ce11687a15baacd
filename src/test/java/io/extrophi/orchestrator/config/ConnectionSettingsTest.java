package io.extrophi.orchestrator.config;

import static io.extrophi.orchestrator.config.ConfigCases.assertRejected;
import static io.extrophi.orchestrator.config.ConfigCases.defaultsWith;
import static io.extrophi.orchestrator.config.ConfigCases.entry;
import static io.extrophi.orchestrator.config.ConfigCases.validate;
import static io.extrophi.orchestrator.config.ConfigCases.withServices;
import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.config.source.DefaultSettings;
import io.extrophi.orchestrator.testing.UnitTest;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The probe connection settings: {@code PROBE_CONNECTION}, {@code PROBE_CONNECTION_MAX_AGE} and a
 * service's own {@code connection}, their defaults, rejections, and what a change restarts.
 */
@UnitTest
class ConnectionSettingsTest {

  @Test
  void byDefaultEveryProbeOpensAFreshConnectionAndPooledOnesLiveAMinute() {
    OrchestratorConfig config = validate(DefaultSettings.of(OrchestratorConfig.defaults()));

    assertThat(config.runtime().connection()).isEqualTo(ConnectionMode.FRESH);
    assertThat(config.runtime().connectionMaxAge()).isEqualTo(Duration.ofSeconds(60));
    assertThat(config.services()).allMatch(service -> service.connection() == ConnectionMode.FRESH);
  }

  @Test
  void aServiceTakesTheGlobalModeUnlessItSetsItsOwn() {
    JsonObject settings =
        withServices(
            defaultsWith(ConfigKeys.PROBE_CONNECTION, " Reuse ")
                .put(ConfigKeys.PROBE_CONNECTION_MAX_AGE, "0.5"),
            entry("a"),
            entry("b").put("connection", "fresh"));

    OrchestratorConfig config = validate(settings);

    assertThat(config.services())
        .extracting(ServiceDefinition::connection)
        .containsExactly(ConnectionMode.REUSE, ConnectionMode.FRESH);
    assertThat(config.runtime().connectionMaxAge()).isEqualTo(Duration.ofMillis(500));
    // Survives the trip between verticles and back into key form.
    assertThat(OrchestratorConfig.fromJson(config.toJson())).isEqualTo(config);
    assertThat(validate(DefaultSettings.of(config))).isEqualTo(config);
  }

  @Test
  void theTlsEngineIsAutoByDefaultAndReadIgnoringCase() {
    assertThat(validate(DefaultSettings.of(OrchestratorConfig.defaults())).runtime().tlsEngine())
        .isEqualTo(TlsEngine.AUTO);
    OrchestratorConfig config = validate(defaultsWith(ConfigKeys.PROBE_TLS_ENGINE, " JDK "));

    assertThat(config.runtime().tlsEngine()).isEqualTo(TlsEngine.JDK);
    assertThat(OrchestratorConfig.fromJson(config.toJson())).isEqualTo(config);
    assertThat(validate(DefaultSettings.of(config))).isEqualTo(config);
    assertRejected(
        defaultsWith(ConfigKeys.PROBE_TLS_ENGINE, "boringssl"),
        "PROBE_TLS_ENGINE",
        "must be auto, jdk or openssl");
  }

  @Test
  void badValuesStopStartUpNamingTheKey() {
    assertRejected(
        defaultsWith(ConfigKeys.PROBE_CONNECTION, "pooled"),
        "PROBE_CONNECTION",
        "must be fresh or reuse");
    assertRejected(
        defaultsWith(ConfigKeys.PROBE_CONNECTION_MAX_AGE, "0"), "PROBE_CONNECTION_MAX_AGE", "");
    assertRejected(
        withServices(
            DefaultSettings.of(OrchestratorConfig.defaults()), entry("a").put("connection", 1)),
        "services[0].connection",
        "must be fresh or reuse");
  }

  @Test
  void aChangedConnectionModeIsAChangedCheck() {
    OrchestratorConfig before =
        validate(
            withServices(
                DefaultSettings.of(OrchestratorConfig.defaults()), entry("a"), entry("b")));
    OrchestratorConfig serviceChanged =
        validate(
            withServices(
                DefaultSettings.of(OrchestratorConfig.defaults()),
                entry("a").put("connection", "reuse"),
                entry("b")));
    OrchestratorConfig globalChanged =
        validate(
            withServices(
                defaultsWith(ConfigKeys.PROBE_CONNECTION, "reuse"), entry("a"), entry("b")));

    assertThat(ConfigDiff.between(before, serviceChanged).changed()).containsExactly("a");
    assertThat(ConfigDiff.between(before, globalChanged).changed()).containsExactly("a", "b");
    // The maximum age only renews the pool: no service's check changes.
    OrchestratorConfig older =
        validate(
            withServices(
                defaultsWith(ConfigKeys.PROBE_CONNECTION_MAX_AGE, 5), entry("a"), entry("b")));
    assertThat(ConfigDiff.between(before, older).touchesServices()).isFalse();
  }
}
