package io.extrophi.orchestrator.config;

import static io.extrophi.orchestrator.config.ConfigCases.entry;
import static io.extrophi.orchestrator.config.ConfigCases.validate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.extrophi.orchestrator.config.source.DefaultSettings;
import io.extrophi.orchestrator.testing.UnitTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The per-service fields of a {@code services} entry: parsing, defaults and every rejection. */
@UnitTest
class ServiceFieldsTest {

  private static JsonObject settingsWith(JsonObject... entries) {
    return DefaultSettings.of(OrchestratorConfig.defaults())
        .put(ConfigKeys.SERVICES, new JsonArray(List.of((Object[]) entries)));
  }

  private ServiceDefinition only(JsonObject entry) {
    return validate(settingsWith(entry)).services().get(0);
  }

  private void assertRejected(JsonObject entry, String key, String ruleFragment) {
    assertThatThrownBy(() -> validate(settingsWith(entry)))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageStartingWith("invalid configuration: " + key + "=")
        .hasMessageContaining(ruleFragment)
        .extracting(error -> ((InvalidConfigException) error).key())
        .isEqualTo(key);
  }

  @Test
  void nameAndUrlAloneGetEveryDefault() {
    ServiceDefinition service = only(entry("api"));

    assertThat(service)
        .isEqualTo(
            ServiceDefinition.of(
                "api",
                "http://api/health",
                OrchestratorConfig.DEFAULT_CHECK_INTERVAL,
                OrchestratorConfig.DEFAULT_CHECK_TIMEOUT));
    assertThat(service.method()).isEqualTo("GET");
    assertThat(service.expectedStatus()).isEqualTo(StatusRanges.SUCCESS);
    assertThat(service.headers()).isEmpty();
    assertThat(service.bodyCondition()).isNull();
    assertThat(service.tags()).isEmpty();
  }

  @Test
  void everyFieldIsParsed() {
    JsonObject entry =
        entry("payments")
            .put("method", "GET")
            .put("interval", 10)
            .put("timeout", "2.5")
            .put("expected_status", new JsonArray().add(200).add("300-399"))
            .put(
                "headers",
                new JsonObject().put("Authorization", "Bearer abc").put("X-Probe", "orchestrator"))
            .put(
                "body",
                new JsonObject()
                    .put("json_pointer", "/status")
                    .put("equals", "UP")
                    .put("contains", "ok")
                    .put("matches", "\"db\":\\s*\"up\""))
            .put("tags", new JsonArray().add("critical").add("payments.eu"));

    ServiceDefinition service = only(entry);

    assertThat(service.method()).isEqualTo("GET");
    assertThat(service.interval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(service.timeout()).isEqualTo(Duration.ofMillis(2500));
    assertThat(service.expectedStatus().ranges())
        .containsExactly(new StatusRanges.Range(200, 200), new StatusRanges.Range(300, 399));
    assertThat(service.headers())
        .containsExactly(
            Map.entry("Authorization", "Bearer abc"), Map.entry("X-Probe", "orchestrator"));
    BodyCondition body = service.bodyCondition();
    assertThat(body.jsonPointer()).isEqualTo("/status");
    assertThat(body.equalsValue()).isEqualTo("UP");
    assertThat(body.contains()).isEqualTo("ok");
    assertThat(body.matches().matcher("{\"db\": \"up\"}").find()).isTrue();
    assertThat(service.tags()).containsExactly("critical", "payments.eu");
  }

  @Test
  void serviceTimingDefaultsToTheGlobalTimingFromAnyLayer() {
    JsonObject settings =
        settingsWith(entry("a"), entry("b").put("interval", 7))
            .put(ConfigKeys.HEALTH_CHECK_INTERVAL, "12")
            .put(ConfigKeys.HEALTH_CHECK_TIMEOUT, "3");

    List<ServiceDefinition> services = validate(settings).services();

    assertThat(services.get(0).interval()).isEqualTo(Duration.ofSeconds(12));
    assertThat(services.get(0).timeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(services.get(1).interval()).isEqualTo(Duration.ofSeconds(7));
    assertThat(services.get(1).timeout()).isEqualTo(Duration.ofSeconds(3));
  }

  @ParameterizedTest
  @ValueSource(strings = {"GET", "get", " Head "})
  void methodIsCaseInsensitive(String method) {
    assertThat(only(entry("a").put("method", method)).method())
        .isEqualTo(method.strip().toUpperCase(java.util.Locale.ROOT));
  }

  @ParameterizedTest
  @ValueSource(strings = {"POST", "", "GET HEAD"})
  void methodMustBeGetOrHead(String method) {
    assertRejected(
        entry("a").put("method", method), "services[0].method", ServiceDefinition.METHOD_RULE);
  }

  @Test
  void aBodyConditionCannotGoWithHead() {
    assertRejected(
        entry("a").put("method", "HEAD").put("body", new JsonObject().put("contains", "ok")),
        "services[0].body",
        ServiceDefinition.HEAD_BODY_RULE);
  }

  @Test
  void methodMustBeAString() {
    assertRejected(entry("a").put("method", 1), "services[0].method", "must be GET or HEAD");
  }

  @ParameterizedTest
  @ValueSource(strings = {"interval", "timeout"})
  void serviceTimingFollowsTheSecondsRule(String field) {
    for (Object bad : List.of(0, "0", -1, "abc", "0.0001", new JsonArray())) {
      assertRejected(entry("a").put(field, bad), "services[0]." + field, ConfigValues.SECONDS_RULE);
    }
    JsonObject nullValue = entry("a").put(field, null);
    assertRejected(nullValue, "services[0]." + field, ConfigValues.SECONDS_RULE);
  }

  static Stream<Arguments> statusForms() {
    return Stream.of(
        Arguments.of(204, "204"),
        Arguments.of("200", "200"),
        Arguments.of("200-299", "200-299"),
        Arguments.of("200-299,304", "200-299,304"),
        Arguments.of(" 200 - 204 , 418 ", "200-204,418"),
        Arguments.of(new JsonArray().add(200).add("300-399"), "200,300-399"),
        Arguments.of(new JsonArray().add("200-202,204").add(301L), "200-202,204,301"));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("statusForms")
  void expectedStatusTakesCodesRangesListsAndCommaLists(Object raw, String expected) {
    assertThat(only(entry("a").put("expected_status", raw)).expectedStatus()).hasToString(expected);
  }

  @Test
  void expectedStatusIsMatchedByCode() {
    StatusRanges ranges = only(entry("a").put("expected_status", "200-299,304")).expectedStatus();
    assertThat(ranges.contains(204)).isTrue();
    assertThat(ranges.contains(304)).isTrue();
    assertThat(ranges.contains(301)).isFalse();
  }

  static Stream<Arguments> invalidStatuses() {
    return Stream.of(
        Arguments.of(99, "services[0].expected_status"),
        Arguments.of(600, "services[0].expected_status"),
        Arguments.of("299-200", "services[0].expected_status"),
        Arguments.of("2xx", "services[0].expected_status"),
        Arguments.of("", "services[0].expected_status"),
        Arguments.of("200,", "services[0].expected_status"),
        Arguments.of(200.5, "services[0].expected_status"),
        Arguments.of(true, "services[0].expected_status"),
        Arguments.of(new JsonArray(), "services[0].expected_status"),
        Arguments.of(new JsonObject(), "services[0].expected_status"),
        Arguments.of(new JsonArray().add(200).add("abc"), "services[0].expected_status[1]"),
        Arguments.of(new JsonArray().add(new JsonArray()), "services[0].expected_status[0]"));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("invalidStatuses")
  void expectedStatusRejectsEverythingElse(Object raw, String key) {
    assertRejected(entry("a").put("expected_status", raw), key, StatusRanges.STATUS_RULE);
  }

  @Test
  void headerValuesAreStrippedAndKeepTheirOrder() {
    JsonObject headers = new JsonObject().put("B", " two ").put("A", "one").put("Empty", "");
    assertThat(only(entry("a").put("headers", headers)).headers())
        .containsExactly(Map.entry("B", "two"), Map.entry("A", "one"), Map.entry("Empty", ""));
  }

  @ParameterizedTest
  @ValueSource(strings = {"Bad Name", "X:Y", "", "Ünïcode", "a\nb", "(x)"})
  void headerNamesMustBeHttpTokens(String name) {
    assertRejected(
        entry("a").put("headers", new JsonObject().put(name, "v")),
        "services[0].headers." + name,
        "is not a valid header name");
  }

  @Test
  void headerNamesMustBeUniqueIgnoringCase() {
    assertRejected(
        entry("a").put("headers", new JsonObject().put("X-Key", "1").put("x-key", "2")),
        "services[0].headers.x-key",
        "repeats header X-Key");
  }

  @Test
  void headerValuesMustBeStrings() {
    for (Object bad : new Object[] {5, true, null, new JsonArray(), new JsonObject()}) {
      assertRejected(
          entry("a").put("headers", new JsonObject().put("X-Count", bad)),
          "services[0].headers.X-Count",
          ServiceDefinition.HEADER_VALUE_RULE);
    }
  }

  @Test
  void headerValuesMustNotSplitTheRequest() {
    assertRejected(
        entry("a").put("headers", new JsonObject().put("X-A", "v\r\nX-Injected: 1")),
        "services[0].headers.X-A",
        "must not contain line breaks");
  }

  @Test
  void headersMustBeAMapping() {
    assertRejected(
        entry("a").put("headers", new JsonArray().add("Authorization: x")),
        "services[0].headers",
        "must be a mapping of header names to strings");
  }

  static Stream<Arguments> bodyConditionVariants() {
    return Stream.of(
        Arguments.of(
            new JsonObject().put("json_pointer", "/status").put("equals", "UP"),
            new BodyCondition("/status", "UP", null, null)),
        Arguments.of(
            new JsonObject().put("json_pointer", "/checks/0/ok").put("equals", true),
            new BodyCondition("/checks/0/ok", true, null, null)),
        Arguments.of(
            new JsonObject().put("json_pointer", "/a~1b/c~0d").put("equals", 3),
            new BodyCondition("/a~1b/c~0d", 3, null, null)),
        Arguments.of(
            new JsonObject().put("json_pointer", "").put("equals", new JsonObject().put("k", 1)),
            new BodyCondition("", new JsonObject().put("k", 1), null, null)),
        Arguments.of(
            new JsonObject().put("json_pointer", "/maybe").putNull("equals"),
            new BodyCondition("/maybe", null, null, null)),
        Arguments.of(
            new JsonObject().put("contains", "ok"), new BodyCondition(null, null, "ok", null)),
        Arguments.of(
            new JsonObject().put("matches", "up|UP"),
            new BodyCondition(null, null, null, java.util.regex.Pattern.compile("up|UP"))));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource
  void bodyConditionVariants(JsonObject body, BodyCondition expected) {
    assertThat(only(entry("a").put("body", body)).bodyCondition()).isEqualTo(expected);
  }

  @Test
  void bodyConditionNeedsAPart() {
    assertRejected(
        entry("a").put("body", new JsonObject()), "services[0].body", "must set at least one of");
  }

  @Test
  void bodyConditionMustBeAnObject() {
    assertRejected(entry("a").put("body", "ok"), "services[0].body", BodyCondition.BODY_RULE);
  }

  @Test
  void jsonPointerWithoutEqualsIsRejected() {
    assertRejected(
        entry("a").put("body", new JsonObject().put("json_pointer", "/status")),
        "services[0].body.equals",
        "is required with json_pointer");
  }

  @Test
  void equalsWithoutJsonPointerIsRejected() {
    assertRejected(
        entry("a").put("body", new JsonObject().put("equals", "UP").put("contains", "x")),
        "services[0].body.equals",
        "needs json_pointer");
  }

  @ParameterizedTest
  @ValueSource(strings = {"status", "/a~2", "/a~", "#/status"})
  void jsonPointerMustBeValid(String pointer) {
    assertRejected(
        entry("a").put("body", new JsonObject().put("json_pointer", pointer).put("equals", 1)),
        "services[0].body.json_pointer",
        BodyCondition.POINTER_RULE);
  }

  @Test
  void badRegularExpressionIsRejectedWithTheReason() {
    assertRejected(
        entry("a").put("body", new JsonObject().put("matches", "(unclosed")),
        "services[0].body.matches",
        "must be a valid Java regular expression: Unclosed group");
  }

  @Test
  void containsMustBeANonEmptyString() {
    assertRejected(
        entry("a").put("body", new JsonObject().put("contains", "")),
        "services[0].body.contains",
        "must be a non-empty string");
    assertRejected(
        entry("a").put("body", new JsonObject().put("contains", 5)),
        "services[0].body.contains",
        "must be a non-empty string");
  }

  @Test
  void unknownBodyFieldIsRejectedByName() {
    assertRejected(
        entry("a").put("body", new JsonObject().put("contain", "ok")),
        "services[0].body.contain",
        "is not a field of a body condition (did you mean contains?)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"Critical", "-x", "a b", "", "ä"})
  void tagsMustMatchThePattern(String tag) {
    assertRejected(
        entry("a").put("tags", new JsonArray().add("ok").add(tag)),
        "services[0].tags[1]",
        ServiceDefinition.TAG_RULE);
  }

  @Test
  void tagsMustBeAListOfDistinctStrings() {
    assertRejected(entry("a").put("tags", "critical"), "services[0].tags", "must be a list");
    assertRejected(
        entry("a").put("tags", new JsonArray().add(1)),
        "services[0].tags[0]",
        ServiceDefinition.TAG_RULE);
    assertRejected(
        entry("a").put("tags", new JsonArray().add("x").add("x")),
        "services[0].tags[1]",
        "repeats an earlier tag");
  }

  @Test
  void emptyTagListIsAllowed() {
    assertThat(only(entry("a").put("tags", new JsonArray())).tags()).isEmpty();
  }

  @Test
  void unknownServiceFieldIsRejectedNamingTheField() {
    assertThatThrownBy(() -> validate(settingsWith(entry("a").put("timout", 2))))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage(
            "invalid configuration: services[0].timout=\"2\" (from test-source) is not a field of"
                + " a service (did you mean timeout?); known fields: name, url, method, interval,"
                + " timeout, expected_status, headers, body, tags, tls_ca_file, tls_skip_verify,"
                + " alert_webhook, alert_format, connection, depends_on, format, warn_on, alert_on_warn");
  }

  @Test
  void unknownFieldWithoutCloseMatchHasNoSuggestion() {
    assertRejected(
        entry("a").put("owner", "team-x"),
        "services[0].owner",
        "is not a field of a service; known fields: name");
  }

  @Test
  void manyOverlappingServicesShareOneWarning() {
    JsonObject[] fleet = new JsonObject[5];
    for (int i = 0; i < fleet.length; i++) {
      fleet[i] = entry("s" + i).put("interval", 1).put("timeout", 5);
    }
    try (LogCapture log = new LogCapture()) {
      validate(settingsWith(fleet));
      assertThat(log.warnings()).hasSize(1);
      assertThat(log.warnings().get(0))
          .startsWith("5 services have a timeout not shorter than their interval")
          .contains("services[0] (s0)")
          .endsWith("; …");
    }
  }

  @Test
  void serviceOwnTimeoutNotShorterThanItsIntervalWarnsOnce() {
    try (LogCapture log = new LogCapture()) {
      validate(settingsWith(entry("a").put("interval", 2).put("timeout", 2)));
      assertThat(log.warnings())
          .containsExactly(
              "services[0] (a): timeout (2000 ms) is not shorter than interval (2000 ms);"
                  + " checks may overlap");
    }
  }

  @Test
  void definitionsRoundTripThroughKeyFormAndJson() {
    JsonObject full =
        entry("p")
            .put("method", "GET")
            .put("interval", 0.5)
            .put("expected_status", "200,204")
            .put("headers", new JsonObject().put("A", "b"))
            .put("body", new JsonObject().put("json_pointer", "/s").put("equals", 1))
            .put("tags", new JsonArray().add("t"));
    OrchestratorConfig config = validate(settingsWith(full, entry("q")));

    assertThat(validate(DefaultSettings.of(config))).isEqualTo(config);
    assertThat(OrchestratorConfig.fromJson(config.toJson())).isEqualTo(config);
  }

  @Test
  void headerValuesNeverShowInTheDefinitionsText() {
    ServiceDefinition service =
        ServiceDefinition.builder("payments", "https://payments.internal/healthz")
            .interval(java.time.Duration.ofSeconds(10))
            .timeout(java.time.Duration.ofSeconds(2))
            .headers(java.util.Map.of("Authorization", "Bearer very-secret"))
            .build();
    assertThat(service.toString())
        .doesNotContain("very-secret")
        .contains("headers={Authorization=***}")
        .contains("name=payments");
  }

  @Test
  void httpsServicesChooseHowCertificatesAreChecked() {
    assertThat(only(entry("a").put("url", "https://a.internal/health")).tls())
        .isEqualTo(ServiceTls.VERIFY);
    assertThat(
            only(entry("a")
                    .put("url", "https://a.internal/health")
                    .put("tls_ca_file", "conf/ca.pem"))
                .tls())
        .isEqualTo(new ServiceTls("conf/ca.pem", false));
    ServiceDefinition lab =
        only(entry("a").put("url", "HTTPS://a.internal/health").put("tls_skip_verify", true));
    assertThat(lab.tls()).isEqualTo(new ServiceTls(null, true));
    assertThat(ServiceDefinition.fromJson(lab.toJson())).isEqualTo(lab);
  }

  @Test
  void tlsFieldsAreCheckedAndOnlyForHttpsUrls() {
    assertRejected(
        entry("a").put("tls_skip_verify", true), "services[0].tls_skip_verify", "https URLs only");
    assertRejected(
        entry("a").put("tls_ca_file", "conf/ca.pem"), "services[0].tls_ca_file", "https URLs only");
    assertRejected(
        entry("a").put("url", "https://a/health").put("tls_skip_verify", "yes"),
        "services[0].tls_skip_verify",
        "must be true or false");
    assertRejected(
        entry("a").put("url", "https://a/health").put("tls_ca_file", " "),
        "services[0].tls_ca_file",
        "PEM file");
    assertRejected(
        entry("a")
            .put("url", "https://a/health")
            .put("tls_ca_file", "conf/ca.pem")
            .put("tls_skip_verify", true),
        "services[0].tls_skip_verify",
        "not be true together with tls_ca_file");
  }
}
