package io.extrophi.orchestrator.config;

import static io.extrophi.orchestrator.config.ConfigCases.assertRejected;
import static io.extrophi.orchestrator.config.ConfigCases.defaultsWith;
import static io.extrophi.orchestrator.config.ConfigCases.validate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

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
import org.junit.jupiter.params.provider.ValueSource;

@UnitTest
class OrchestratorConfigTest {

  private static final List<String> DURATION_KEYS =
      List.of(
          ConfigKeys.HEALTH_CHECK_INTERVAL,
          ConfigKeys.HEALTH_CHECK_TIMEOUT,
          ConfigKeys.CIRCUIT_BREAKER_RESET_TIMEOUT);
  private static final List<String> THRESHOLD_KEYS =
      List.of(ConfigKeys.CIRCUIT_BREAKER_THRESHOLD, ConfigKeys.CIRCUIT_BREAKER_SUCCESS_THRESHOLD);

  private static JsonArray services(JsonObject... entries) {
    return new JsonArray(List.of((Object[]) entries));
  }

  private static JsonObject service(Object name, Object url) {
    return new JsonObject().put("name", name).put("url", url);
  }

  @Test
  void defaultSettingsValidateToTheDocumentedDefaults() {
    assertThat(validate(DefaultSettings.of(OrchestratorConfig.defaults())))
        .isEqualTo(OrchestratorConfig.defaults());
  }

  static Stream<Arguments> validDurations() {
    return DURATION_KEYS.stream()
        .flatMap(
            key ->
                Stream.of(
                    Arguments.of(key, "30", Duration.ofSeconds(30)),
                    Arguments.of(key, " 7 ", Duration.ofSeconds(7)),
                    Arguments.of(key, "0.5", Duration.ofMillis(500)),
                    Arguments.of(key, "0.001", Duration.ofMillis(1)),
                    Arguments.of(key, 0.25, Duration.ofMillis(250)),
                    Arguments.of(key, 2, Duration.ofSeconds(2)),
                    Arguments.of(key, 90L, Duration.ofSeconds(90))));
  }

  @ParameterizedTest(name = "{0}={1}")
  @MethodSource("validDurations")
  void durationsAcceptDecimalSecondsFromStringsAndNumbers(
      String key, Object value, Duration expected) {
    OrchestratorConfig config = validate(defaultsWith(key, value));
    Duration actual =
        switch (key) {
          case ConfigKeys.HEALTH_CHECK_INTERVAL -> config.checkInterval();
          case ConfigKeys.HEALTH_CHECK_TIMEOUT -> config.checkTimeout();
          default -> config.resetTimeout();
        };
    assertThat(actual).isEqualTo(expected);
  }

  static Stream<Arguments> invalidDurations() {
    List<Object> values =
        List.of(
            "abc",
            "0",
            "0.0",
            "-1",
            "0.0004",
            "NaN",
            "Infinity",
            "1e3",
            "5s",
            "",
            "   ",
            0,
            -5,
            Double.NaN,
            Double.POSITIVE_INFINITY,
            2_000_000_000L,
            new JsonObject());
    return DURATION_KEYS.stream().flatMap(key -> values.stream().map(v -> Arguments.of(key, v)));
  }

  @ParameterizedTest(name = "{0}={1}")
  @MethodSource("invalidDurations")
  void durationsRejectNonPositiveNonNumericAndOutOfRangeValues(String key, Object value) {
    assertRejected(defaultsWith(key, value), key, ConfigValues.SECONDS_RULE);
  }

  @Test
  void missingDurationIsNamedAsMissing() {
    assertThatThrownBy(() -> validate(defaultsWith(ConfigKeys.HEALTH_CHECK_INTERVAL, null)))
        .hasMessage(
            "invalid configuration: HEALTH_CHECK_INTERVAL=<missing> (from test-source)"
                + " must be a positive number of seconds");
  }

  static Stream<Arguments> validThresholds() {
    return THRESHOLD_KEYS.stream()
        .flatMap(
            key ->
                Stream.of(
                    Arguments.of(key, "1", 1),
                    Arguments.of(key, " 3 ", 3),
                    Arguments.of(key, "4.0", 4),
                    Arguments.of(key, 7, 7)));
  }

  @ParameterizedTest(name = "{0}={1}")
  @MethodSource("validThresholds")
  void thresholdsAcceptWholeNumbersFromOne(String key, Object value, int expected) {
    OrchestratorConfig config = validate(defaultsWith(key, value));
    int actual =
        key.equals(ConfigKeys.CIRCUIT_BREAKER_THRESHOLD)
            ? config.failureThreshold()
            : config.successThreshold();
    assertThat(actual).isEqualTo(expected);
  }

  static Stream<Arguments> invalidThresholds() {
    List<Object> values = List.of("2.5", "0", "-1", "abc", "", 2.5, 0, -3, "99999999999");
    return THRESHOLD_KEYS.stream().flatMap(key -> values.stream().map(v -> Arguments.of(key, v)));
  }

  @ParameterizedTest(name = "{0}={1}")
  @MethodSource("invalidThresholds")
  void thresholdsRejectFractionsZeroNegativesAndText(String key, Object value) {
    assertRejected(defaultsWith(key, value), key, "must be a whole number from 1 to ");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "1", "8003", "65535"})
  void portAcceptsZeroToPortMax(String port) {
    assertThat(validate(defaultsWith(ConfigKeys.HTTP_PORT, port)).httpPort())
        .isEqualTo(Integer.parseInt(port));
  }

  @ParameterizedTest
  @ValueSource(strings = {"-1", "65536", "80.5", "http", ""})
  void portRejectsValuesOutsideZeroToPortMax(String port) {
    assertRejected(
        defaultsWith(ConfigKeys.HTTP_PORT, port),
        ConfigKeys.HTTP_PORT,
        "must be a whole number from 0 to 65535");
  }

  @Test
  void eventStreamLimitsAreRead() {
    JsonObject settings =
        defaultsWith(ConfigKeys.EVENT_STREAM_MAX_CLIENTS, "10")
            .put(ConfigKeys.EVENT_STREAM_CLIENT_BUFFER_BYTES, "1048576")
            .put(ConfigKeys.EVENT_STREAM_TOTAL_BUFFER_BYTES, 8388608);
    assertThat(validate(settings).runtime().eventStreams())
        .isEqualTo(new EventStreamLimits(10, 1_048_576, 8_388_608));
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "-1", "1.5", "many", "100001"})
  void eventStreamClientCapMustBeAWholeNumberInRange(String value) {
    assertRejected(
        defaultsWith(ConfigKeys.EVENT_STREAM_MAX_CLIENTS, value),
        ConfigKeys.EVENT_STREAM_MAX_CLIENTS,
        "must be a whole number from 1 to 100000");
  }

  @ParameterizedTest
  @ValueSource(strings = {"1024", "65535", "1073741825", "4MB"})
  void eventStreamClientBudgetMustBeAWholeNumberInRange(String value) {
    assertRejected(
        defaultsWith(ConfigKeys.EVENT_STREAM_CLIENT_BUFFER_BYTES, value),
        ConfigKeys.EVENT_STREAM_CLIENT_BUFFER_BYTES,
        "must be a whole number from 65536 to 1073741824");
  }

  @Test
  void eventStreamTotalBudgetMustNotBeBelowTheClientBudget() {
    assertRejected(
        defaultsWith(ConfigKeys.EVENT_STREAM_TOTAL_BUFFER_BYTES, "1048576"),
        ConfigKeys.EVENT_STREAM_TOTAL_BUFFER_BYTES,
        "must not be below EVENT_STREAM_CLIENT_BUFFER_BYTES (4194304)");
  }

  @Test
  void hostIsTrimmed() {
    assertThat(validate(defaultsWith(ConfigKeys.HTTP_HOST, " 127.0.0.1 ")).httpHost())
        .isEqualTo("127.0.0.1");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   "})
  void hostMustNotBeBlank(String host) {
    assertRejected(
        defaultsWith(ConfigKeys.HTTP_HOST, host), ConfigKeys.HTTP_HOST, "must be a non-blank");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://localhost:8000/health",
        "https://writer.example.com/health",
        "HTTP://UPPER:80/",
        "http://10.0.0.5:8000/health#frag",
        "http://[::1]:8000/health",
        "http://writer_service:8000/health",
        "http://user:pw@host/health?x=1"
      })
  void urlsAcceptAbsoluteHttpAndHttpsWithAHost(String url) {
    assertThat(validate(defaultsWith(ConfigKeys.WRITER_URL, url)).services().get(0).url())
        .isEqualTo(url);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "localhost:8000/health",
        "ftp://x/",
        "http:///x",
        "http://:8000/x",
        "not a url",
        "/health",
        "",
        "   "
      })
  void urlsRejectRelativeNonHttpHostlessAndBlankValues(String url) {
    assertRejected(
        defaultsWith(ConfigKeys.WRITER_URL, url), ConfigKeys.WRITER_URL, ConfigValues.URL_RULE);
  }

  @Test
  void serviceUrlOverrideReplacesTheListedUrlByUpperCasedName() {
    JsonObject settings =
        defaultsWith(
                ConfigKeys.SERVICES,
                services(
                    service("my-api", "http://a/health"), service("db_probe", "http://b/health")))
            .put("MY_API_URL", "http://override/health");

    assertThat(validate(settings).services())
        .extracting(ServiceDefinition::name, ServiceDefinition::url)
        .containsExactly(
            tuple("my-api", "http://override/health"), tuple("db_probe", "http://b/health"));
  }

  @Test
  void overrideStandsInForAMissingListedUrl() {
    JsonObject settings =
        defaultsWith(ConfigKeys.SERVICES, services(new JsonObject().put("name", "solo")))
            .put("SOLO_URL", "http://solo/health");
    assertThat(validate(settings).services())
        .extracting(ServiceDefinition::name, ServiceDefinition::url)
        .containsExactly(tuple("solo", "http://solo/health"));
  }

  @Test
  void invalidOverrideIsReportedUnderItsOwnKey() {
    assertRejected(
        defaultsWith(ConfigKeys.BACKEND_URL, "localhost:8002/health"),
        ConfigKeys.BACKEND_URL,
        ConfigValues.URL_RULE);
  }

  static Stream<Arguments> invalidServiceLists() {
    return Stream.of(
        Arguments.of(new JsonArray(), "services", OrchestratorConfig.SERVICES_RULE),
        Arguments.of("writer", "services", OrchestratorConfig.SERVICES_RULE),
        Arguments.of(new JsonObject(), "services", OrchestratorConfig.SERVICES_RULE),
        Arguments.of(new JsonArray().add("writer"), "services[0]", "must be an object"),
        Arguments.of(services(service("Writer", "http://a/")), "services[0].name", "must match"),
        Arguments.of(services(service("-x", "http://a/")), "services[0].name", "must match"),
        Arguments.of(services(service("", "http://a/")), "services[0].name", "must match"),
        Arguments.of(services(service("a b", "http://a/")), "services[0].name", "must match"),
        Arguments.of(services(service(null, "http://a/")), "services[0].name", "must match"),
        Arguments.of(services(service(7, "http://a/")), "services[0].name", "must match"),
        Arguments.of(services(service("a", null)), "services[0].url", ConfigValues.URL_RULE),
        Arguments.of(services(service("a", "ftp://a/")), "services[0].url", ConfigValues.URL_RULE),
        Arguments.of(
            services(service("a", "http://a/"), service("a", "http://b/")),
            "services[1].name",
            "must be unique, but services[0] already uses it"),
        Arguments.of(
            services(service("a-b", "http://a/"), service("a_b", "http://b/")),
            "services[1].name",
            "A_B_URL"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("invalidServiceLists")
  void serviceListRejectsEmptyMalformedAndDuplicateEntries(
      Object services, String key, String ruleFragment) {
    assertRejected(defaultsWith(ConfigKeys.SERVICES, services), key, ruleFragment);
  }

  @Test
  void runtimeSettingsDefaultToRuntimeSettingsDefaults() {
    assertThat(validate(DefaultSettings.of(OrchestratorConfig.defaults())).runtime())
        .isEqualTo(RuntimeSettings.defaults());
  }

  static Stream<Arguments> validRuntimeValues() {
    return Stream.of(
        Arguments.of(ConfigKeys.CONFIG_RELOAD_INTERVAL, "0.5", Duration.ofMillis(500)),
        Arguments.of(ConfigKeys.CONFIG_RELOAD_INTERVAL, 10, Duration.ofSeconds(10)),
        Arguments.of(ConfigKeys.STATE_FLUSH_INTERVAL, "0.25", Duration.ofMillis(250)),
        Arguments.of(ConfigKeys.STATE_FLUSH_INTERVAL, 60L, Duration.ofSeconds(60)),
        Arguments.of(ConfigKeys.MAX_BODY_BYTES, "1", 1),
        Arguments.of(ConfigKeys.MAX_BODY_BYTES, 16_777_216, 16_777_216),
        Arguments.of(ConfigKeys.MAX_BODY_BYTES, " 1024 ", 1024),
        Arguments.of(ConfigKeys.MAX_IN_FLIGHT_PROBES, "1", 1),
        Arguments.of(ConfigKeys.MAX_IN_FLIGHT_PROBES, 100_000, 100_000),
        Arguments.of(ConfigKeys.HISTORY_SIZE, "1", 1),
        Arguments.of(ConfigKeys.HISTORY_SIZE, "10000", 10_000),
        Arguments.of(ConfigKeys.SERVICES_FILE, " fleet/services.yaml ", "fleet/services.yaml"),
        Arguments.of(ConfigKeys.SERVICES_FILE, "none", null),
        Arguments.of(ConfigKeys.SERVICES_FILE, "NONE", null),
        Arguments.of(ConfigKeys.SERVICES_FILE, "", null),
        Arguments.of(ConfigKeys.SERVICES_FILE, "  ", null),
        Arguments.of(ConfigKeys.SERVICES_FILE, null, null),
        Arguments.of(ConfigKeys.DATA_DIR, "/var/lib/orchestrator", "/var/lib/orchestrator"),
        Arguments.of(ConfigKeys.DATA_DIR, "None", null),
        Arguments.of(ConfigKeys.DATA_DIR, "", null));
  }

  @ParameterizedTest(name = "{0}=[{1}]")
  @MethodSource("validRuntimeValues")
  void runtimeKeysAcceptTheirDocumentedForms(String key, Object value, Object expected) {
    RuntimeSettings runtime = validate(defaultsWith(key, value)).runtime();
    Object actual =
        switch (key) {
          case ConfigKeys.CONFIG_RELOAD_INTERVAL -> runtime.reloadCheckInterval();
          case ConfigKeys.STATE_FLUSH_INTERVAL -> runtime.stateFlushInterval();
          case ConfigKeys.MAX_BODY_BYTES -> runtime.maxBodyBytes();
          case ConfigKeys.MAX_IN_FLIGHT_PROBES -> runtime.maxInFlightProbes();
          case ConfigKeys.HISTORY_SIZE -> runtime.historySize();
          case ConfigKeys.SERVICES_FILE -> runtime.servicesFile();
          default -> runtime.dataDir();
        };
    assertThat(actual).isEqualTo(expected);
  }

  static Stream<Arguments> invalidRuntimeValues() {
    Stream<Arguments> durations =
        Stream.of(ConfigKeys.CONFIG_RELOAD_INTERVAL, ConfigKeys.STATE_FLUSH_INTERVAL)
            .flatMap(
                key ->
                    Stream.of("0", "-1", "abc", "", "1e3", "0.0001", true, null)
                        .map(value -> Arguments.of(key, value, ConfigValues.SECONDS_RULE)));
    Stream<Arguments> counts =
        Stream.of(
                Arguments.of(ConfigKeys.MAX_BODY_BYTES, 16_777_216),
                Arguments.of(ConfigKeys.MAX_IN_FLIGHT_PROBES, 100_000),
                Arguments.of(ConfigKeys.HISTORY_SIZE, 10_000))
            .flatMap(
                limits ->
                    Stream.of(
                            "0",
                            "-1",
                            "1.5",
                            "abc",
                            "",
                            0,
                            2.5,
                            true,
                            null,
                            (int) limits.get()[1] + 1)
                        .map(
                            value ->
                                Arguments.of(
                                    limits.get()[0],
                                    value,
                                    "must be a whole number from 1 to " + limits.get()[1])));
    Stream<Arguments> paths =
        Stream.of(ConfigKeys.SERVICES_FILE, ConfigKeys.DATA_DIR)
            .flatMap(
                key ->
                    Stream.of(5, true, new JsonArray().add("a"), new JsonObject(), "a\0b")
                        .map(value -> Arguments.of(key, value, ConfigValues.PATH_RULE)));
    return Stream.of(durations, counts, paths).flatMap(s -> s);
  }

  @ParameterizedTest(name = "{0}=[{1}]")
  @MethodSource("invalidRuntimeValues")
  void runtimeKeysRejectWrongTypesAndOutOfRangeValues(String key, Object value, String rule) {
    assertRejected(defaultsWith(key, value), key, rule);
  }

  @Test
  void runtimeErrorsAreOneLineNamingKeyValueAndRule() {
    assertThatThrownBy(() -> validate(defaultsWith(ConfigKeys.HISTORY_SIZE, "20000")))
        .hasMessage(
            "invalid configuration: HISTORY_SIZE=\"20000\" (from test-source)"
                + " must be a whole number from 1 to 10000");
  }

  @Test
  void timeoutNotShorterThanIntervalOnlyWarns() {
    JsonObject settings =
        defaultsWith(ConfigKeys.HEALTH_CHECK_INTERVAL, "5").put(ConfigKeys.HEALTH_CHECK_TIMEOUT, 5);
    try (LogCapture log = new LogCapture()) {
      OrchestratorConfig config = validate(settings);

      assertThat(config.checkTimeout()).isEqualTo(config.checkInterval());
      assertThat(log.warnings())
          .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
          .contains("HEALTH_CHECK_TIMEOUT (5000 ms) is not shorter than HEALTH_CHECK_INTERVAL");
    }
  }

  @Test
  void timeoutShorterThanIntervalDoesNotWarn() {
    try (LogCapture log = new LogCapture()) {
      validate(DefaultSettings.of(OrchestratorConfig.defaults()));
      assertThat(log.warnings()).isEmpty();
    }
  }

  @Test
  void triggerMinGapTakesZeroAndDecimals() {
    assertThat(validate(defaultsWith(ConfigKeys.TRIGGER_MIN_GAP, "0")).runtime().triggerMinGap())
        .isEqualTo(Duration.ZERO);
    assertThat(validate(defaultsWith(ConfigKeys.TRIGGER_MIN_GAP, "2.5")).runtime().triggerMinGap())
        .isEqualTo(Duration.ofMillis(2_500));
    assertThat(OrchestratorConfig.defaults().runtime().triggerMinGap())
        .isEqualTo(Duration.ofSeconds(1));
  }

  @ParameterizedTest
  @ValueSource(strings = {"-1", "abc", "1s", ""})
  void triggerMinGapRejectsWhatIsNotSeconds(String value) {
    assertRejected(
        defaultsWith(ConfigKeys.TRIGGER_MIN_GAP, value), ConfigKeys.TRIGGER_MIN_GAP, "seconds");
  }

  @Test
  void theApiTokenIsOptionalAndTrimmed() {
    assertThat(OrchestratorConfig.defaults().runtime().apiToken()).isNull();
    assertThat(validate(defaultsWith(ConfigKeys.API_TOKEN, null)).runtime().apiToken()).isNull();
    assertThat(
            validate(defaultsWith(ConfigKeys.API_TOKEN, " abcdefghijklmnop-1234 "))
                .runtime()
                .apiToken())
        .isEqualTo("abcdefghijklmnop-1234");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "  ", "\n", "\t\r\n"})
  void aSetButBlankApiTokenIsRejectedNotTakenForNone(String blank) {
    assertRejected(
        defaultsWith(ConfigKeys.API_TOKEN, blank), ConfigKeys.API_TOKEN, "set but blank");
  }

  @ParameterizedTest
  @ValueSource(strings = {"short", "has spaces inside it!", "quote\"quote\"quote\"quote"})
  void aBadApiTokenIsRejectedWithoutShowingIt(String token) {
    assertThatThrownBy(() -> validate(defaultsWith(ConfigKeys.API_TOKEN, token)))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining(
            "ORCHESTRATOR_API_TOKEN=\"<secret of " + token.length() + " characters>\"")
        .hasMessageContaining("at least 16 characters")
        .hasMessageNotContaining(token);
  }

  @Test
  void theTokenNeverShowsInTheSettingsText() {
    RuntimeSettings runtime =
        validate(defaultsWith(ConfigKeys.API_TOKEN, "abcdefghijklmnop-1234")).runtime();
    assertThat(runtime.toString()).doesNotContain("abcdefghijklmnop-1234").contains("apiToken=***");
    assertThat(runtime.requiresToken()).isTrue();
  }

  @Test
  void theApisCertificateAndKeyComeTogether() {
    assertRejected(
        defaultsWith(ConfigKeys.HTTP_TLS_CERT_FILE, "conf/api.crt"),
        ConfigKeys.HTTP_TLS_KEY_FILE,
        "must be set together with HTTP_TLS_CERT_FILE");
    assertRejected(
        defaultsWith(ConfigKeys.HTTP_TLS_KEY_FILE, "conf/api.key"),
        ConfigKeys.HTTP_TLS_CERT_FILE,
        "must be set together with HTTP_TLS_KEY_FILE");
    RuntimeSettings runtime =
        validate(
                defaultsWith(ConfigKeys.HTTP_TLS_CERT_FILE, "conf/api.crt")
                    .put(ConfigKeys.HTTP_TLS_KEY_FILE, "conf/api.key"))
            .runtime();
    assertThat(runtime.servesTls()).isTrue();
    assertThat(runtime.tlsKeyFile()).isEqualTo("conf/api.key");
    assertThat(OrchestratorConfig.defaults().runtime().servesTls()).isFalse();
  }

  /** A value each scalar key must refuse, and a fragment of the rule it breaks. */
  private static final java.util.Map<String, List<String>> BAD_VALUES =
      java.util.Map.ofEntries(
          java.util.Map.entry(
              ConfigKeys.WRITER_URL, List.of("ftp://w/health", "http or https URL")),
          java.util.Map.entry(ConfigKeys.RESEARCH_URL, List.of("not a url", "http or https URL")),
          java.util.Map.entry(ConfigKeys.BACKEND_URL, List.of("http://", "http or https URL")),
          java.util.Map.entry(ConfigKeys.HEALTH_CHECK_INTERVAL, List.of("0", "positive")),
          java.util.Map.entry(ConfigKeys.HEALTH_CHECK_TIMEOUT, List.of("-1", "positive")),
          java.util.Map.entry(ConfigKeys.CIRCUIT_BREAKER_THRESHOLD, List.of("0", "whole number")),
          java.util.Map.entry(
              ConfigKeys.CIRCUIT_BREAKER_SUCCESS_THRESHOLD, List.of("1.5", "whole number")),
          java.util.Map.entry(ConfigKeys.CIRCUIT_BREAKER_RESET_TIMEOUT, List.of("x", "seconds")),
          java.util.Map.entry(ConfigKeys.HTTP_HOST, List.of(" ", "non-blank")),
          java.util.Map.entry(ConfigKeys.HTTP_PORT, List.of("65536", "0 to 65535")),
          java.util.Map.entry(
              ConfigKeys.EVENT_STREAM_MAX_CLIENTS, List.of("0", "whole number from 1")),
          java.util.Map.entry(
              ConfigKeys.EVENT_STREAM_CLIENT_BUFFER_BYTES, List.of("1k", "whole number from")),
          java.util.Map.entry(
              ConfigKeys.EVENT_STREAM_TOTAL_BUFFER_BYTES, List.of("0", "whole number from 1")),
          java.util.Map.entry(ConfigKeys.SERVICES_FILE, List.of("a\0b", "path")),
          java.util.Map.entry(ConfigKeys.CONFIG_RELOAD_INTERVAL, List.of("soon", "seconds")),
          java.util.Map.entry(ConfigKeys.MAX_BODY_BYTES, List.of("16777217", "whole number")),
          java.util.Map.entry(ConfigKeys.MAX_IN_FLIGHT_PROBES, List.of("0", "whole number")),
          java.util.Map.entry(ConfigKeys.HISTORY_SIZE, List.of("10001", "whole number")),
          java.util.Map.entry(ConfigKeys.DATA_DIR, List.of("a\0b", "path")),
          java.util.Map.entry(ConfigKeys.STATE_FLUSH_INTERVAL, List.of("0", "seconds")),
          java.util.Map.entry(ConfigKeys.TRIGGER_MIN_GAP, List.of("-0.5", "seconds")),
          java.util.Map.entry(ConfigKeys.PROBE_CONNECTION, List.of("pooled", "fresh or reuse")),
          java.util.Map.entry(ConfigKeys.PROBE_CONNECTION_MAX_AGE, List.of("0", "seconds")),
          java.util.Map.entry(
              ConfigKeys.PROBE_TLS_ENGINE, List.of("boring", "auto, jdk or openssl")),
          java.util.Map.entry(ConfigKeys.HEALTH_FORMAT, List.of("actuator", "must be one of")),
          java.util.Map.entry(ConfigKeys.HTTP_IDLE_TIMEOUT, List.of("0", "seconds")),
          java.util.Map.entry(ConfigKeys.HTTP_REQUEST_TIMEOUT, List.of("never", "seconds")),
          java.util.Map.entry(ConfigKeys.HTTP_MAX_CONNECTIONS, List.of("0", "whole number")),
          java.util.Map.entry(ConfigKeys.API_TOKEN, List.of("tooshort", "at least 16")),
          java.util.Map.entry(ConfigKeys.HTTP_TLS_CERT_FILE, List.of("a\0b", "path")),
          java.util.Map.entry(ConfigKeys.HTTP_TLS_KEY_FILE, List.of("a\0b", "path")),
          java.util.Map.entry(
              ConfigKeys.ALERT_WEBHOOK, List.of("ftp://hooks/x", "http or https URL")),
          java.util.Map.entry(ConfigKeys.ALERT_FORMAT, List.of("xml", "json or slack")),
          java.util.Map.entry(ConfigKeys.ALERT_QUEUE_SIZE, List.of("0", "whole number")),
          java.util.Map.entry(ConfigKeys.ALERT_MAX_ATTEMPTS, List.of("101", "whole number")),
          java.util.Map.entry(ConfigKeys.ALERT_RETRY_INITIAL, List.of("0", "seconds")),
          java.util.Map.entry(
              ConfigKeys.ALERT_RETRY_MAX,
              List.of("0.5", "not be shorter than ALERT_RETRY_INITIAL")),
          java.util.Map.entry(ConfigKeys.ALERT_TIMEOUT, List.of("-1", "seconds")));

  @Test
  void everySettingRefusesABadValueNamingKeyValueAndRule() {
    assertThat(BAD_VALUES.keySet())
        .as("every scalar setting has a bad value here")
        .containsExactlyInAnyOrderElementsOf(ConfigKeys.SCALAR_KEYS);
    BAD_VALUES.forEach(
        (key, bad) ->
            assertThatThrownBy(() -> validate(defaultsWith(key, bad.get(0))))
                .as(key)
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageStartingWith("invalid configuration: " + key + "=")
                .hasMessageContaining("(from test-source)")
                .hasMessageContaining(bad.get(1)));
  }
}
