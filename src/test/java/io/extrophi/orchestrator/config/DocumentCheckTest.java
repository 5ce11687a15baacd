package io.extrophi.orchestrator.config;

import static io.extrophi.orchestrator.config.ConfigCases.assertRejected;
import static io.extrophi.orchestrator.config.ConfigCases.defaultsWith;
import static io.extrophi.orchestrator.config.ConfigCases.entry;
import static io.extrophi.orchestrator.config.ConfigCases.validate;
import static io.extrophi.orchestrator.config.ConfigCases.withServices;
import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.config.source.DefaultSettings;
import io.extrophi.orchestrator.document.DocumentFormat;
import io.extrophi.orchestrator.document.WarnOn;
import io.extrophi.orchestrator.testing.UnitTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A service's {@code format}, {@code warn_on} and {@code alert_on_warn}, and HEALTH_FORMAT. */
@UnitTest
class DocumentCheckTest {

  private static ServiceDefinition only(JsonObject settings) {
    return validate(settings).services().get(0);
  }

  private static JsonObject oneService(JsonObject entry) {
    return withServices(DefaultSettings.of(OrchestratorConfig.defaults()), entry);
  }

  @Test
  void aServiceThatSetsNothingReadsDocumentsAutomaticallyAndWarnsOnWarnAndOutOfService() {
    DocumentCheck document = only(oneService(entry("api"))).document();

    assertThat(document.format()).isEqualTo(DocumentFormat.AUTO);
    assertThat(document.warnOn().statuses()).containsExactly("warn", "OUT_OF_SERVICE");
    assertThat(document.alertOnWarn()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"auto", "status", "spring", "microprofile", "health+json", "vertx", "plain"})
  void everyFormatIsAccepted(String format) {
    assertThat(
            only(oneService(entry("api").put("format", format))).document().format().configName())
        .isEqualTo(format);
  }

  @Test
  void formatIgnoresCaseAndBlanks() {
    assertThat(only(oneService(entry("api").put("format", " Spring "))).document().format())
        .isEqualTo(DocumentFormat.SPRING);
  }

  @Test
  void theGlobalFormatIsTheFormatOfServicesThatSetNone() {
    JsonObject settings =
        withServices(
            defaultsWith(ConfigKeys.HEALTH_FORMAT, "status"),
            entry("plain"),
            entry("boot").put("format", "spring"));

    List<ServiceDefinition> services = validate(settings).services();
    assertThat(services.get(0).document().format()).isEqualTo(DocumentFormat.STATUS);
    assertThat(services.get(1).document().format()).isEqualTo(DocumentFormat.SPRING);
  }

  @Test
  void anUnknownGlobalFormatStopsStartUpNamingTheKeyAndValue() {
    assertRejected(
        defaultsWith(ConfigKeys.HEALTH_FORMAT, "actuator"),
        ConfigKeys.HEALTH_FORMAT,
        "must be one of auto, status, spring");
  }

  @Test
  void anUnknownServiceFormatIsRejectedNamingTheField() {
    assertRejected(
        oneService(entry("api").put("format", "xml")), "services[0].format", DocumentFormat.RULE);
    assertRejected(
        oneService(entry("api").put("format", 3)), "services[0].format", DocumentFormat.RULE);
  }

  @Test
  void warnOnAndAlertOnWarnAreRead() {
    DocumentCheck document =
        only(oneService(
                entry("api")
                    .put("warn_on", new JsonArray().add("UNKNOWN").add("degraded"))
                    .put("alert_on_warn", true)))
            .document();

    assertThat(document.warnOn()).isEqualTo(new WarnOn(List.of("UNKNOWN", "degraded")));
    assertThat(document.alertOnWarn()).isTrue();
  }

  @Test
  void anEmptyWarnOnMakesEveryStatusButAPassAFailure() {
    DocumentCheck document =
        only(oneService(entry("api").put("warn_on", new JsonArray()))).document();

    assertThat(document.warnOn().statuses()).isEmpty();
  }

  @Test
  void badWarnOnValuesAreRejectedNamingTheItem() {
    assertRejected(
        oneService(entry("api").put("warn_on", "warn")),
        "services[0].warn_on",
        DocumentCheck.WARN_ON_RULE);
    assertRejected(
        oneService(entry("api").put("warn_on", new JsonArray().add("warn").add(7))),
        "services[0].warn_on[1]",
        "must be a non-empty string");
    assertRejected(
        oneService(entry("api").put("warn_on", new JsonArray().add("UP"))),
        "services[0].warn_on[0]",
        "passes anyway");
    assertRejected(
        oneService(entry("api").put("warn_on", new JsonArray().add("warn").add("WARN"))),
        "services[0].warn_on[1]",
        "repeats an earlier status");
  }

  @Test
  void alertOnWarnMustBeABoolean() {
    assertRejected(
        oneService(entry("api").put("alert_on_warn", "yes")),
        "services[0].alert_on_warn",
        "must be true or false");
  }

  @Test
  void documentSettingsRoundTripThroughKeyFormAndJson() {
    OrchestratorConfig config =
        validate(
            withServices(
                DefaultSettings.of(OrchestratorConfig.defaults()),
                entry("boot")
                    .put("format", "spring")
                    .put("warn_on", new JsonArray().add("UNKNOWN"))
                    .put("alert_on_warn", true),
                entry("other")));

    assertThat(validate(DefaultSettings.of(config))).isEqualTo(config);
    assertThat(OrchestratorConfig.fromJson(config.toJson())).isEqualTo(config);
  }

  @Test
  void changingTheFormatChangesTheCheck() {
    ServiceDefinition auto = only(oneService(entry("api")));
    ServiceDefinition spring = only(oneService(entry("api").put("format", "spring")));

    assertThat(spring.sameCheckAs(auto)).isFalse();
    assertThat(spring.checkIdentity()).isNotEqualTo(auto.checkIdentity());
  }
}
