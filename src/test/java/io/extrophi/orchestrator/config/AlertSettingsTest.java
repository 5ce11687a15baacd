package io.extrophi.orchestrator.config;

import static io.extrophi.orchestrator.config.ConfigCases.assertRejected;
import static io.extrophi.orchestrator.config.ConfigCases.defaultsWith;
import static io.extrophi.orchestrator.config.ConfigCases.entry;
import static io.extrophi.orchestrator.config.ConfigCases.refused;
import static io.extrophi.orchestrator.config.ConfigCases.refusedAt;
import static io.extrophi.orchestrator.config.ConfigCases.validate;
import static io.extrophi.orchestrator.config.ConfigCases.withServices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.extrophi.orchestrator.config.source.DefaultSettings;
import io.extrophi.orchestrator.testing.UnitTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The alert settings: global keys, a service's own webhook, defaults and every rejection. */
@UnitTest
class AlertSettingsTest {

  private static final String HOOK = "https://hooks.example.com/services/T0/B0/secret-part";

  @Test
  void defaultsSendNothingAndRetryForAFewMinutes() {
    AlertSettings alerts = validate(DefaultSettings.of(OrchestratorConfig.defaults())).alerts();

    assertThat(alerts).isEqualTo(AlertSettings.defaults());
    assertThat(alerts.webhook()).isNull();
    assertThat(alerts.format()).isEqualTo(AlertFormat.JSON);
    assertThat(alerts.queueSize()).isEqualTo(1_000);
    assertThat(alerts.maxAttempts()).isEqualTo(10);
    assertThat(alerts.retryInitial()).isEqualTo(Duration.ofSeconds(1));
    assertThat(alerts.retryMax()).isEqualTo(Duration.ofSeconds(60));
    assertThat(alerts.attemptTimeout()).isEqualTo(Duration.ofSeconds(10));
  }

  private static Stream<Arguments> validValues() {
    return Stream.of(
        Arguments.of(ConfigKeys.ALERT_WEBHOOK, " " + HOOK + " ", HOOK),
        Arguments.of(
            ConfigKeys.ALERT_WEBHOOK, "http://127.0.0.1:9000/hook", "http://127.0.0.1:9000/hook"),
        Arguments.of(ConfigKeys.ALERT_WEBHOOK, "none", null),
        Arguments.of(ConfigKeys.ALERT_WEBHOOK, "NONE", null),
        Arguments.of(ConfigKeys.ALERT_WEBHOOK, "  ", null),
        Arguments.of(ConfigKeys.ALERT_WEBHOOK, null, null),
        Arguments.of(ConfigKeys.ALERT_FORMAT, "slack", AlertFormat.SLACK),
        Arguments.of(ConfigKeys.ALERT_FORMAT, " JSON ", AlertFormat.JSON),
        Arguments.of(ConfigKeys.ALERT_QUEUE_SIZE, "1", 1),
        Arguments.of(ConfigKeys.ALERT_QUEUE_SIZE, 100_000, 100_000),
        Arguments.of(ConfigKeys.ALERT_MAX_ATTEMPTS, "1", 1),
        Arguments.of(ConfigKeys.ALERT_MAX_ATTEMPTS, 100, 100),
        Arguments.of(ConfigKeys.ALERT_RETRY_INITIAL, "0.05", Duration.ofMillis(50)),
        Arguments.of(ConfigKeys.ALERT_RETRY_MAX, 3600, Duration.ofHours(1)),
        Arguments.of(ConfigKeys.ALERT_TIMEOUT, "2.5", Duration.ofMillis(2_500)));
  }

  private static Stream<Arguments> invalidValues() {
    Stream<Arguments> webhooks =
        Stream.of("ftp://hooks/x", "hooks.example.com/x", "http://", 5, true, new JsonObject())
            .map(
                value ->
                    Arguments.of(
                        ConfigKeys.ALERT_WEBHOOK, value, refused(ConfigValues.OPTIONAL_URL_RULE)));
    Stream<Arguments> formats =
        Stream.of("xml", "", "text", 1, true)
            .map(
                value ->
                    Arguments.of(ConfigKeys.ALERT_FORMAT, value, refused("must be json or slack")));
    Object[] notCounts = {"0", "-1", "1.5", "abc", "", true, null};
    Stream<Arguments> counts =
        Stream.concat(
            ConfigCases.wholeNumberRefusals(ConfigKeys.ALERT_QUEUE_SIZE, 100_000, notCounts),
            ConfigCases.wholeNumberRefusals(ConfigKeys.ALERT_MAX_ATTEMPTS, 100, notCounts));
    Stream<Arguments> durations =
        ConfigCases.refusals(
            List.of(ConfigKeys.ALERT_RETRY_INITIAL, ConfigKeys.ALERT_TIMEOUT),
            ConfigCases.NOT_SECONDS,
            ConfigValues.SECONDS_RULE);
    return Stream.of(webhooks, formats, counts, durations).flatMap(s -> s);
  }

  /** Rows {@code (key, value, what it reads as or the Refusal)}. */
  static Stream<Arguments> readings() {
    return Stream.of(validValues(), invalidValues(), invalidServiceFields()).flatMap(rows -> rows);
  }

  @ParameterizedTest(name = "{0}=[{1}]")
  @MethodSource("readings")
  void alertKeysReadTheirDocumentedFormsAndRefuseTheRest(
      String key, Object value, Object expected) {
    ConfigCases.assertReading(key, value, expected);
  }

  @Test
  void theLongestWaitIsNotShorterThanTheFirst() {
    JsonObject longerFirst =
        defaultsWith(ConfigKeys.ALERT_RETRY_INITIAL, "5").put(ConfigKeys.ALERT_RETRY_MAX, "2");
    String rule = "must not be shorter than ALERT_RETRY_INITIAL (5000 ms)";
    assertRejected(longerFirst, ConfigKeys.ALERT_RETRY_MAX, rule);
    AlertSettings equal = validate(longerFirst.put(ConfigKeys.ALERT_RETRY_INITIAL, "2")).alerts();
    assertThat(equal.retryMax()).isEqualTo(equal.retryInitial());
  }

  @Test
  void aServiceWebhookTakesTheGlobalFormatUnlessItSetsItsOwn() {
    JsonObject settings =
        withServices(
            defaultsWith(ConfigKeys.ALERT_FORMAT, "slack"),
            entry("a").put("alert_webhook", HOOK),
            entry("b").put("alert_webhook", "http://127.0.0.1:9000/b").put("alert_format", "JSON"),
            entry("c"),
            entry("d").put("alert_webhook", "none"));

    List<ServiceDefinition> services = validate(settings).services();

    assertThat(services)
        .extracting(ServiceDefinition::alert)
        .containsExactly(
            new ServiceAlert(HOOK, AlertFormat.SLACK),
            new ServiceAlert("http://127.0.0.1:9000/b", AlertFormat.JSON),
            ServiceAlert.NONE,
            ServiceAlert.NONE);
  }

  /** A service entry refused naming its field {@code key} and {@code rule}. */
  private static Arguments fieldRefusal(JsonObject entry, String key, String rule) {
    return Arguments.of(ConfigKeys.SERVICES, new JsonArray().add(entry), refusedAt(key, rule));
  }

  private static Stream<Arguments> invalidServiceFields() {
    return Stream.of(
        fieldRefusal(
            entry("a").put("alert_webhook", "mailto:ops@example.com"),
            "services[0].alert_webhook",
            ConfigValues.OPTIONAL_URL_RULE),
        fieldRefusal(
            entry("a").put("alert_webhook", 42), "services[0].alert_webhook", "http or https URL"),
        fieldRefusal(
            entry("a").put("alert_webhook", HOOK).put("alert_format", "teams"),
            "services[0].alert_format",
            "must be json or slack"),
        fieldRefusal(
            entry("a").put("alert_format", "slack"),
            "services[0].alert_format",
            "applies to alert_webhook, which is not set"),
        fieldRefusal(
            entry("a").put("alert_webhok", HOOK),
            "services[0].alert_webhok",
            "did you mean alert_webhook?"));
  }

  @Test
  void everyAlertSettingSurvivesTheKeyFormAndTheJsonBetweenVerticles() {
    OrchestratorConfig config =
        validate(
            withServices(
                defaultsWith(ConfigKeys.ALERT_WEBHOOK, HOOK)
                    .put(ConfigKeys.ALERT_FORMAT, "slack")
                    .put(ConfigKeys.ALERT_QUEUE_SIZE, 7)
                    .put(ConfigKeys.ALERT_MAX_ATTEMPTS, 3)
                    .put(ConfigKeys.ALERT_RETRY_INITIAL, "0.25")
                    .put(ConfigKeys.ALERT_RETRY_MAX, 4)
                    .put(ConfigKeys.ALERT_TIMEOUT, "1.5"),
                entry("a").put("alert_webhook", "http://127.0.0.1:9000/a"),
                entry("b")
                    .put("alert_webhook", "http://127.0.0.1:9000/b")
                    .put("alert_format", "json")));

    assertThat(validate(DefaultSettings.of(config))).isEqualTo(config);
    assertThat(OrchestratorConfig.fromJson(config.toJson())).isEqualTo(config);
    assertThat(config.alerts())
        .isEqualTo(
            new AlertSettings(
                HOOK,
                AlertFormat.SLACK,
                7,
                3,
                Duration.ofMillis(250),
                Duration.ofSeconds(4),
                Duration.ofMillis(1_500)));
  }

  @Test
  void aConfigurationBuiltWithoutAlertsHasTheDefaults() {
    OrchestratorConfig config =
        OrchestratorConfig.builder()
            .services(OrchestratorConfig.DEFAULT_SERVICES)
            .checkInterval(Duration.ofSeconds(1))
            .checkTimeout(Duration.ofSeconds(1))
            .failureThreshold(1)
            .successThreshold(1)
            .resetTimeout(Duration.ofSeconds(1))
            .http("127.0.0.1", 0)
            .runtime(RuntimeSettings.inMemory())
            .build();
    JsonObject withoutAlerts = config.toJson();
    withoutAlerts.remove("alerts");

    assertThat(config.alerts()).isEqualTo(AlertSettings.defaults());
    assertThat(OrchestratorConfig.fromJson(withoutAlerts)).isEqualTo(config);
  }

  @Test
  void changingOnlyAServicesWebhookDoesNotRestartItsCheck() {
    OrchestratorConfig before = OrchestratorConfig.defaults();
    ServiceDefinition writer = before.services().get(0);
    OrchestratorConfig after =
        before.toBuilder()
            .services(
                List.of(
                    writer.toBuilder().alert(new ServiceAlert(HOOK, AlertFormat.SLACK)).build(),
                    before.services().get(1).toBuilder()
                        .url("http://localhost:9999/health")
                        .build(),
                    before.services().get(2)))
            .build();

    ConfigDiff diff = ConfigDiff.between(before, after);

    assertThat(after).isNotEqualTo(before);
    assertThat(diff.changed()).containsExactly("research");
    assertThat(writer.sameCheckAs(after.services().get(0))).isTrue();
  }

  @Test
  void webhookSecretsNeverShowInLoggableText() {
    AlertSettings alerts = AlertSettings.builder().webhook(HOOK).format(AlertFormat.SLACK).build();
    ServiceDefinition service =
        OrchestratorConfig.DEFAULT_SERVICES.get(0).toBuilder()
            .alert(new ServiceAlert("https://user:pw@chat.example.com:8443/x/y", AlertFormat.JSON))
            .build();

    assertThat(alerts.toString())
        .doesNotContain("secret-part")
        .contains("webhook=https://hooks.example.com/…");
    assertThat(service.toString())
        .doesNotContain("/x/y")
        .doesNotContain("pw")
        .contains("https://chat.example.com:8443/…");
    assertThat(RedactedUrl.of(null)).isEqualTo("none");
  }

  @Test
  void aServiceAlertHasAWebhookAndAFormatOrNeither() {
    assertThatThrownBy(() -> new ServiceAlert(HOOK, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ServiceAlert(null, AlertFormat.JSON))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(ServiceAlert.NONE.isNone()).isTrue();
    assertThat(ServiceAlert.NONE.toString()).isEqualTo("ServiceAlert[none]");
  }
}
