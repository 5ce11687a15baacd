package io.extrophi.orchestrator.config;

import static io.extrophi.orchestrator.config.ConfigCases.assertRejected;
import static io.extrophi.orchestrator.config.ConfigCases.defaultsWith;
import static io.extrophi.orchestrator.config.ConfigCases.refusedAt;
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

  /** Rows {@code (key, value, what it reads as or the Refusal)}: every table of this class. */
  static Stream<Arguments> readings() {
    return Stream.of(
            validDurations(),
            invalidDurations(),
            validThresholds(),
            invalidThresholds(),
            validRuntimeValues(),
            invalidRuntimeValues(),
            triggerGapAndTokenRefusals(),
            listenerValues(),
            invalidServiceLists())
        .flatMap(rows -> rows);
  }

  /** The port, host and event-stream limits of the API's listener. */
  private static Stream<Arguments> listenerValues() {
    Stream<Arguments> ports =
        Stream.concat(
            Stream.of(0, 1, 8003, 65535)
                .map(port -> Arguments.of(ConfigKeys.HTTP_PORT, String.valueOf(port), port)),
            ConfigCases.refusals(
                List.of(ConfigKeys.HTTP_PORT),
                List.of("-1", "65536", "80.5", "http", ""),
                "must be a whole number from 0 to 65535"));
    Stream<Arguments> hosts =
        Stream.concat(
            Stream.of(Arguments.of(ConfigKeys.HTTP_HOST, " 127.0.0.1 ", "127.0.0.1")),
            ConfigCases.refusals(
                List.of(ConfigKeys.HTTP_HOST), List.of("", "   "), "must be a non-blank"));
    Stream<Arguments> eventStreams =
        Stream.concat(
            ConfigCases.refusals(
                List.of(ConfigKeys.EVENT_STREAM_MAX_CLIENTS),
                List.of("0", "-1", "1.5", "many", "100001"),
                "must be a whole number from 1 to 100000"),
            ConfigCases.refusals(
                List.of(ConfigKeys.EVENT_STREAM_CLIENT_BUFFER_BYTES),
                List.of("1024", "65535", "1073741825", "4MB"),
                "must be a whole number from 65536 to 1073741824"));
    return Stream.of(ports, hosts, eventStreams).flatMap(rows -> rows);
  }

  @ParameterizedTest(name = "{0}=[{1}]")
  @MethodSource("readings")
  void everyKeyReadsItsDocumentedFormsAndRefusesTheRest(String key, Object value, Object expected) {
    ConfigCases.assertReading(key, value, expected);
  }

  @Test
  void aServiceIsFoundByItsNameInAFleetOfManyAndTheListStaysAsConfigured() {
    List<ServiceDefinition> fleet =
        java.util.stream.IntStream.range(0, 5_000)
            .mapToObj(
                i ->
                    ServiceDefinition.of(
                        "s" + i,
                        "http://127.0.0.1/" + i,
                        Duration.ofSeconds(10),
                        Duration.ofSeconds(5)))
            .toList();
    OrchestratorConfig config = OrchestratorConfig.builder().services(fleet).build();

    assertThat(config.service("s4999")).contains(fleet.get(4_999));
    assertThat(config.service("s0")).contains(fleet.get(0));
    assertThat(config.service("s5000")).isEmpty();
    assertThat(config.services()).isEqualTo(fleet).hasSameHashCodeAs(fleet);
    assertThat(config).isEqualTo(OrchestratorConfig.builder().services(List.copyOf(fleet)).build());
    assertThatThrownBy(() -> config.services().add(fleet.get(0)))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void defaultSettingsValidateToTheDocumentedDefaults() {
    assertThat(validate(DefaultSettings.of(OrchestratorConfig.defaults())))
        .isEqualTo(OrchestratorConfig.defaults());
  }

  private static Stream<Arguments> validDurations() {
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

  private static Stream<Arguments> invalidDurations() {
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
    return ConfigCases.refusals(DURATION_KEYS, values, ConfigValues.SECONDS_RULE);
  }

  @Test
  void missingDurationIsNamedAsMissing() {
    assertThatThrownBy(() -> validate(defaultsWith(ConfigKeys.HEALTH_CHECK_INTERVAL, null)))
        .hasMessage(
            "invalid configuration: HEALTH_CHECK_INTERVAL=<missing> (from test-source)"
                + " must be a positive number of seconds");
  }

  private static Stream<Arguments> validThresholds() {
    return THRESHOLD_KEYS.stream()
        .flatMap(
            key ->
                Stream.of(
                    Arguments.of(key, "1", 1),
                    Arguments.of(key, " 3 ", 3),
                    Arguments.of(key, "4.0", 4),
                    Arguments.of(key, 7, 7)));
  }

  private static Stream<Arguments> invalidThresholds() {
    List<Object> values = List.of("2.5", "0", "-1", "abc", "", 2.5, 0, -3, "99999999999");
    return ConfigCases.refusals(THRESHOLD_KEYS, values, "must be a whole number from 1 to ");
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

  @Test
  void eventStreamTotalBudgetMustNotBeBelowTheClientBudget() {
    assertRejected(
        defaultsWith(ConfigKeys.EVENT_STREAM_TOTAL_BUFFER_BYTES, "1048576"),
        ConfigKeys.EVENT_STREAM_TOTAL_BUFFER_BYTES,
        "must not be below EVENT_STREAM_CLIENT_BUFFER_BYTES (4194304)");
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

  /** A services list refused naming {@code key} and {@code rule}. */
  private static Arguments listRefusal(Object services, String key, String rule) {
    return Arguments.of(ConfigKeys.SERVICES, services, refusedAt(key, rule));
  }

  private static Stream<Arguments> invalidServiceLists() {
    return Stream.of(
        listRefusal(new JsonArray(), "services", OrchestratorConfig.SERVICES_RULE),
        listRefusal("writer", "services", OrchestratorConfig.SERVICES_RULE),
        listRefusal(new JsonObject(), "services", OrchestratorConfig.SERVICES_RULE),
        listRefusal(new JsonArray().add("writer"), "services[0]", "must be an object"),
        listRefusal(services(service("Writer", "http://a/")), "services[0].name", "must match"),
        listRefusal(services(service("-x", "http://a/")), "services[0].name", "must match"),
        listRefusal(services(service("", "http://a/")), "services[0].name", "must match"),
        listRefusal(services(service("a b", "http://a/")), "services[0].name", "must match"),
        listRefusal(services(service(null, "http://a/")), "services[0].name", "must match"),
        listRefusal(services(service(7, "http://a/")), "services[0].name", "must match"),
        listRefusal(services(service("a", null)), "services[0].url", ConfigValues.URL_RULE),
        listRefusal(services(service("a", "ftp://a/")), "services[0].url", ConfigValues.URL_RULE),
        listRefusal(
            services(service("a", "http://a/"), service("a", "http://b/")),
            "services[1].name",
            "must be unique, but services[0] already uses it"),
        listRefusal(
            services(service("a-b", "http://a/"), service("a_b", "http://b/")),
            "services[1].name",
            "A_B_URL"));
  }

  @Test
  void runtimeSettingsDefaultToRuntimeSettingsDefaults() {
    assertThat(validate(DefaultSettings.of(OrchestratorConfig.defaults())).runtime())
        .isEqualTo(RuntimeSettings.defaults());
  }

  private static Stream<Arguments> validRuntimeValues() {
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

  private static Stream<Arguments> invalidRuntimeValues() {
    Stream<Arguments> durations =
        ConfigCases.refusals(
            List.of(ConfigKeys.CONFIG_RELOAD_INTERVAL, ConfigKeys.STATE_FLUSH_INTERVAL),
            ConfigCases.NOT_SECONDS,
            ConfigValues.SECONDS_RULE);
    Object[] notCounts = {"0", "-1", "1.5", "abc", "", 0, 2.5, true, null};
    Stream<Arguments> counts =
        Stream.of(
                ConfigCases.wholeNumberRefusals(ConfigKeys.MAX_BODY_BYTES, 16_777_216, notCounts),
                ConfigCases.wholeNumberRefusals(
                    ConfigKeys.MAX_IN_FLIGHT_PROBES, 100_000, notCounts),
                ConfigCases.wholeNumberRefusals(ConfigKeys.HISTORY_SIZE, 10_000, notCounts))
            .flatMap(rows -> rows);
    Stream<Arguments> paths =
        ConfigCases.refusals(
            List.of(ConfigKeys.SERVICES_FILE, ConfigKeys.DATA_DIR),
            List.of(5, true, new JsonArray().add("a"), new JsonObject(), "a\0b"),
            ConfigValues.PATH_RULE);
    return Stream.of(durations, counts, paths).flatMap(s -> s);
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

  /**
   * A TRIGGER_MIN_GAP that is not seconds, and a set but blank API token (not taken for none), are
   * refused naming the rule.
   */
  private static Stream<Arguments> triggerGapAndTokenRefusals() {
    return Stream.concat(
        ConfigCases.refusals(
            List.of(ConfigKeys.TRIGGER_MIN_GAP), List.of("-1", "abc", "1s", ""), "seconds"),
        ConfigCases.refusals(
            List.of(ConfigKeys.API_TOKEN), List.of("", "  ", "\n", "\t\r\n"), "set but blank"));
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
    JsonObject certificateOnly = defaultsWith(ConfigKeys.HTTP_TLS_CERT_FILE, "conf/api.crt");
    JsonObject keyOnly = defaultsWith(ConfigKeys.HTTP_TLS_KEY_FILE, "conf/api.key");
    String rule = "must be set together with ";
    assertRejected(certificateOnly, ConfigKeys.HTTP_TLS_KEY_FILE, rule + "HTTP_TLS_CERT_FILE");
    assertRejected(keyOnly, ConfigKeys.HTTP_TLS_CERT_FILE, rule + "HTTP_TLS_KEY_FILE");
    RuntimeSettings runtime =
        validate(certificateOnly.put(ConfigKeys.HTTP_TLS_KEY_FILE, "conf/api.key")).runtime();
    assertThat(runtime.servesTls()).isTrue();
    assertThat(runtime.tlsKeyFile()).isEqualTo("conf/api.key");
    assertThat(OrchestratorConfig.defaults().runtime().servesTls()).isFalse();
  }

  /** A value each scalar key must refuse, and a fragment of the rule it breaks. */
  /**
   * A value each scalar key must refuse, and a fragment of the rule it breaks: one row a key, the
   * three cells split at " | " exactly, so that HTTP_HOST's value is the one blank between them.
   */
  private static final String BAD_VALUES =
      """
      WRITER_URL | ftp://w/health | http or https URL
      RESEARCH_URL | not a url | http or https URL
      BACKEND_URL | http:// | http or https URL
      HEALTH_CHECK_INTERVAL | 0 | positive
      HEALTH_CHECK_TIMEOUT | -1 | positive
      CIRCUIT_BREAKER_THRESHOLD | 0 | whole number
      CIRCUIT_BREAKER_SUCCESS_THRESHOLD | 1.5 | whole number
      CIRCUIT_BREAKER_RESET_TIMEOUT | x | seconds
      HTTP_HOST |   | non-blank
      HTTP_PORT | 65536 | 0 to 65535
      EVENT_STREAM_MAX_CLIENTS | 0 | whole number from 1
      EVENT_STREAM_CLIENT_BUFFER_BYTES | 1k | whole number from
      EVENT_STREAM_TOTAL_BUFFER_BYTES | 0 | whole number from 1
      SERVICES_FILE | a\0b | path
      CONFIG_RELOAD_INTERVAL | soon | seconds
      MAX_BODY_BYTES | 16777217 | whole number
      MAX_IN_FLIGHT_PROBES | 0 | whole number
      HISTORY_SIZE | 10001 | whole number
      DATA_DIR | a\0b | path
      STATE_FLUSH_INTERVAL | 0 | seconds
      TRIGGER_MIN_GAP | -0.5 | seconds
      PROBE_CONNECTION | pooled | fresh or reuse
      PROBE_CONNECTION_MAX_AGE | 0 | seconds
      PROBE_TLS_ENGINE | boring | auto, jdk or openssl
      HEALTH_FORMAT | actuator | must be one of
      HTTP_IDLE_TIMEOUT | 0 | seconds
      HTTP_REQUEST_TIMEOUT | never | seconds
      HTTP_MAX_CONNECTIONS | 0 | whole number
      ORCHESTRATOR_API_TOKEN | tooshort | at least 16
      HTTP_TLS_CERT_FILE | a\0b | path
      HTTP_TLS_KEY_FILE | a\0b | path
      ALERT_WEBHOOK | ftp://hooks/x | http or https URL
      ALERT_FORMAT | xml | json or slack
      ALERT_QUEUE_SIZE | 0 | whole number
      ALERT_MAX_ATTEMPTS | 101 | whole number
      ALERT_RETRY_INITIAL | 0 | seconds
      ALERT_RETRY_MAX | 0.5 | not be shorter than ALERT_RETRY_INITIAL
      ALERT_TIMEOUT | -1 | seconds
      """;

  private static Stream<List<String>> badValueRows() {
    return BAD_VALUES.lines().map(row -> List.of(row.split(" \\| ", -1)));
  }

  @Test
  void everySettingRefusesABadValueNamingKeyValueAndRule() {
    assertThat(badValueRows().toList())
        .as("every scalar setting has one bad value here")
        .allSatisfy(row -> assertThat(row).hasSize(3))
        .extracting(row -> row.get(0))
        .containsExactlyInAnyOrderElementsOf(ConfigKeys.SCALAR_KEYS);
    badValueRows()
        .forEach(
            row ->
                assertThatThrownBy(() -> validate(defaultsWith(row.get(0), row.get(1))))
                    .as(row.get(0))
                    .isInstanceOf(InvalidConfigException.class)
                    .hasMessageStartingWith("invalid configuration: " + row.get(0) + "=")
                    .hasMessageContaining("(from test-source)")
                    .hasMessageContaining(row.get(2)));
  }
}
