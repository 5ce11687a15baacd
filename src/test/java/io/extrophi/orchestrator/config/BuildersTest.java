package io.extrophi.orchestrator.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.document.DocumentFormat;
import io.extrophi.orchestrator.document.WarnOn;
import io.extrophi.orchestrator.testing.UnitTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The builders of the records with many fields: a builder made from a record carries every field
 * (so a field added to the record but forgotten in its builder fails here), and an untouched
 * builder gives the documented defaults.
 */
@UnitTest
class BuildersTest {

  private static final ServiceDefinition EVERY_FIELD_SET =
      new ServiceDefinition(
          "payments",
          "https://payments.internal/healthz",
          ServiceDefinition.HEAD,
          Duration.ofSeconds(7),
          Duration.ofSeconds(3),
          StatusRanges.parse("200-299,304"),
          Map.of("Accept", "application/json"),
          new BodyCondition(null, null, "ok", Pattern.compile("up")),
          List.of("critical"),
          new ServiceTls(null, true),
          new ServiceAlert("https://hooks.example.com/x", AlertFormat.SLACK),
          ConnectionMode.REUSE,
          List.of("backend"),
          new DocumentCheck(DocumentFormat.SPRING, new WarnOn(List.of("UNKNOWN")), true));

  @Test
  void aServiceDefinitionRebuiltFromItsBuilderIsEqual() {
    assertThat(EVERY_FIELD_SET.toBuilder().build()).isEqualTo(EVERY_FIELD_SET);
    assertThat(EVERY_FIELD_SET.toBuilder().url("https://other/health").build().url())
        .isEqualTo("https://other/health");
  }

  @Test
  void anUntouchedServiceBuilderIsAPlainGetAtTheDefaultTimings() {
    assertThat(ServiceDefinition.builder("a", "http://a/health").build())
        .isEqualTo(
            ServiceDefinition.of(
                "a",
                "http://a/health",
                OrchestratorConfig.DEFAULT_CHECK_INTERVAL,
                OrchestratorConfig.DEFAULT_CHECK_TIMEOUT));
  }

  @Test
  void runtimeSettingsRebuiltFromTheirBuilderAreEqual() {
    RuntimeSettings settings =
        new RuntimeSettings(
            "fleet.yaml",
            Duration.ofSeconds(3),
            1_024,
            50,
            20,
            "state",
            Duration.ofSeconds(9),
            Duration.ZERO,
            "abcdefghijklmnop-1234",
            "api.crt",
            "api.key",
            ConnectionMode.REUSE,
            Duration.ofSeconds(30),
            TlsEngine.JDK,
            new ConnectionLimits(Duration.ofSeconds(5), Duration.ofSeconds(4), 10),
            new EventStreamLimits(3, 65_536, 131_072));

    assertThat(settings.toBuilder().build()).isEqualTo(settings);
    assertThat(RuntimeSettings.builder().build()).isEqualTo(RuntimeSettings.defaults());
    assertThat(RuntimeSettings.defaults().servicesFile())
        .isEqualTo(RuntimeSettings.DEFAULT_SERVICES_FILE);
    assertThat(RuntimeSettings.inMemory().servicesFile()).isNull();
    assertThat(RuntimeSettings.inMemory().dataDir()).isNull();
  }

  @Test
  void alertSettingsRebuiltFromTheirBuilderAreEqual() {
    AlertSettings settings =
        new AlertSettings(
            "https://hooks.example.com/x",
            AlertFormat.SLACK,
            7,
            3,
            Duration.ofMillis(250),
            Duration.ofSeconds(4),
            Duration.ofMillis(1_500));

    assertThat(settings.toBuilder().build()).isEqualTo(settings);
    assertThat(AlertSettings.builder().build().webhook()).isNull();
    assertThat(AlertSettings.builder().build().maxAttempts())
        .isEqualTo(AlertSettings.DEFAULT_MAX_ATTEMPTS);
  }

  @Test
  void aConfigurationRebuiltFromItsBuilderIsEqual() {
    OrchestratorConfig config =
        new OrchestratorConfig(
            List.of(EVERY_FIELD_SET),
            Duration.ofSeconds(11),
            Duration.ofSeconds(2),
            9,
            4,
            Duration.ofSeconds(45),
            "127.0.0.1",
            9_003,
            RuntimeSettings.inMemory(),
            AlertSettings.builder().webhook("https://hooks.example.com/y").build());

    assertThat(config.toBuilder().build()).isEqualTo(config);
    assertThat(OrchestratorConfig.builder().build().services())
        .isEqualTo(OrchestratorConfig.DEFAULT_SERVICES);
    assertThat(OrchestratorConfig.builder().build().httpPort())
        .isEqualTo(OrchestratorConfig.DEFAULT_HTTP_PORT);
  }
}
