package io.extrophi.orchestrator.config;

import static io.extrophi.orchestrator.config.ConfigLoading.expectFailure;
import static io.extrophi.orchestrator.config.ConfigLoading.isolatedIn;
import static io.extrophi.orchestrator.config.ConfigLoading.servicesFileIn;
import static io.extrophi.orchestrator.config.ConfigLoading.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.config.source.ConfigSources;
import io.extrophi.orchestrator.testing.UnitTest;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A bad line in a real file stops loading with one line naming the file, the line, the key and the
 * rule: one row a mistake, in the services file, a config file (YAML or JSON) or {@code .env}.
 */
@ExtendWith(VertxExtension.class)
@UnitTest
class FileRefusalsTest {

  /** Loading needs no fresh Vert.x per case: the extension shares the one @BeforeAll receives. */
  @BeforeAll
  static void oneVertxForTheClass(Vertx vertx) {}

  /** Other programs' variables and properties: never checked, so they change no verdict. */
  private static final Map<String, String> FOREIGN_ENVIRONMENT =
      Map.of("NOT_OURS", "x", "DATABASE_URL", "postgres://db", "LOG_LEVEL", "DEBUG");

  private static final Map<String, String> FOREIGN_PROPERTIES = Map.of("user.home", "/root");

  private static final String SERVICES = "services.yaml";

  @TempDir Path dir;

  /**
   * Rows {@code (mistake, file written, its content, the message with {file} for its path, the line
   * the error points at or null)}.
   */
  static Stream<Arguments> refusedFiles() {
    return Stream.of(
        Arguments.of(
            "a timeout of 0 in the services file",
            SERVICES,
            """
            # The fleet.
            services:
              - name: writer
                url: http://writer/health

              - name: research
                url: http://research/health
                interval: 10

              # This one is wrong:
              - name: backend
                url: http://backend/health
                interval: 10
                timeout: 0
            """,
            "invalid configuration: services[2].timeout=\"0\" ({file} line 14) must be a positive"
                + " number of seconds",
            14),
        Arguments.of(
            "an unknown field, named with the nearest known one",
            SERVICES,
            """
            services:
              - name: writer
                url: http://writer/health
                timout: 2
            """,
            "invalid configuration: services[0].timout=\"2\" ({file} line 4) is not a field of a"
                + " service (did you mean timeout?); known fields: name, url, method, interval,"
                + " timeout, expected_status, headers, body, tags, tls_ca_file, tls_skip_verify,"
                + " alert_webhook, alert_format, connection, depends_on, format, warn_on,"
                + " alert_on_warn",
            4),
        Arguments.of(
            "a bad tag, at its list item",
            SERVICES,
            """
            services:
              - name: writer
                url: http://writer/health
                tags:
                  - fine
                  - Not-Fine
            """,
            "invalid configuration: services[0].tags[1]=\"Not-Fine\" ({file} line 6) must be a"
                + " string matching [a-z0-9][a-z0-9_.-]*",
            6),
        Arguments.of(
            "a missing url, at its service",
            SERVICES,
            """
            services:
              - name: writer
                url: http://writer/health
              - name: research
                method: GET
            """,
            "invalid configuration: services[1].url=<missing> ({file} line 4) must be an absolute"
                + " http or https URL with a host",
            4),
        Arguments.of(
            "a json_pointer without equals, at the body",
            SERVICES,
            """
            services:
              - name: writer
                url: http://writer/health
                body:
                  json_pointer: /status
            """,
            "invalid configuration: services[0].body.equals=<missing> ({file} line 4) is required"
                + " with json_pointer: the value expected there",
            4),
        Arguments.of(
            "a duplicate name, at the second one",
            SERVICES,
            "services:\n  - name: same\n    url: http://same/health\n"
                + "  - name: same\n    url: http://same/health\n",
            "invalid configuration: services[1].name=\"same\" ({file} line 4) must be unique, but"
                + " services[0] already uses it (or the same SAME_URL override)",
            4),
        Arguments.of(
            "an empty list",
            SERVICES,
            "# nothing yet\nservices: []\n",
            "invalid configuration: services=\"[]\" ({file} line 2) must be a non-empty list of"
                + " {name, url} objects",
            2),
        Arguments.of(
            "an empty file",
            SERVICES,
            "# truncated while saving\n",
            "invalid configuration: services=<missing> (from {file}) must be a non-empty list of"
                + " {name, url} objects",
            null),
        Arguments.of(
            "another top-level key in the services file",
            SERVICES,
            "services:\n  - name: a\n    url: http://a/health\n"
                + "  - name: b\n    url: http://b/health\nHEALTH_CHECK_INTERVAL: 5\n",
            "invalid configuration: HEALTH_CHECK_INTERVAL=\"5\" ({file} line 6) is not allowed in"
                + " a services file, which holds only a services list",
            6),
        Arguments.of(
            "a YAML syntax error",
            SERVICES,
            """
            services:
              - name: writer
                url: http://writer/health
                tags: [critical
              - name: research
            """,
            "invalid configuration: {file} cannot be parsed as YAML at line 5, column 9: while"
                + " parsing a flow sequence, expected ',' or ']', but got :",
            5),
        Arguments.of(
            "a duplicate YAML key",
            SERVICES,
            """
            services:
              - name: writer
                url: http://writer/health
                timeout: 2
                timeout: 3
            """,
            "invalid configuration: {file} cannot be parsed as YAML at line 5, column 5: while"
                + " constructing a mapping, found duplicate key timeout",
            5),
        Arguments.of(
            "a service webhook without a scheme",
            SERVICES,
            """
            services:
              - name: payments
                url: http://payments/health
                alert_webhook: hooks.example.com/payments
            """,
            "invalid configuration: services[0].alert_webhook=\"hooks.example.com/payments\""
                + " ({file} line 4) "
                + ConfigValues.OPTIONAL_URL_RULE,
            4),
        Arguments.of(
            "a cycle is refused naming the file, the line and the cycle",
            SERVICES,
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
            """,
            "invalid configuration: services[2].depends_on[1]=\"writer\" ({file} line 11) "
                + "closes the depends_on cycle writer -> backend -> writer",
            11),
        Arguments.of(
            "a chain of three that comes back is a cycle",
            SERVICES,
            """
            services:
              - {name: a, url: http://a/health, depends_on: [b]}
              - {name: b, url: http://b/health, depends_on: [c]}
              - {name: c, url: http://c/health, depends_on: [a]}
            """,
            "invalid configuration: services[2].depends_on[0]=\"a\" ({file} line 4) "
                + "closes the depends_on cycle a -> b -> c -> a",
            4),
        Arguments.of(
            "a service depending on itself is a cycle",
            SERVICES,
            """
            services:
              - name: writer
                url: http://writer/health
                depends_on: [writer]
            """,
            "invalid configuration: services[0].depends_on[0]=\"writer\" ({file} line 4) "
                + "closes the depends_on cycle writer -> writer",
            4),
        Arguments.of(
            "an unknown name is refused with the closest known one",
            SERVICES,
            """
            services:
              - name: writer
                url: http://writer/health
                depends_on:
                  - backnd
              - name: backend
                url: http://backend/health
            """,
            "invalid configuration: services[0].depends_on[0]=\"backnd\" ({file} line 5) "
                + "is not a configured service (did you mean backend?)",
            5),
        Arguments.of(
            "a services file named in the config file that does not exist",
            "config.yaml",
            "HTTP_PORT: 9000\n\nSERVICES_FILE: fleet.yaml\n",
            "invalid configuration: SERVICES_FILE=\"fleet.yaml\" ({file} line 3) must name an"
                + " existing file (or none to disable it)",
            3),
        Arguments.of(
            "a reversed status range in a config file's services",
            "config.yaml",
            """
            HEALTH_CHECK_TIMEOUT: 4
            services:
              - name: writer
                url: http://writer/health
                tags: [core]
                expected_status: 299-200
            """,
            "invalid configuration: services[0].expected_status=\"299-200\" ({file} line 6) "
                + StatusRanges.STATUS_RULE,
            6),
        Arguments.of(
            "a duplicate name in a config file's services",
            "config.yaml",
            "services:\n  - name: a\n    url: http://a/\n  - name: a\n    url: http://b/\n",
            "invalid configuration: services[1].name=\"a\" ({file} line 4) must be unique, but"
                + " services[0] already uses it (or the same A_URL override)",
            4),
        Arguments.of(
            "a services value that is not a list",
            "config.yaml",
            "services: writer\n",
            "invalid configuration: services=\"writer\" ({file} line 1) "
                + OrchestratorConfig.SERVICES_RULE,
            1),
        Arguments.of(
            "a scalar out of range in a YAML config file",
            "config.yaml",
            "# limits\nHTTP_PORT: 9000\nMAX_BODY_BYTES: 0\n",
            "invalid configuration: MAX_BODY_BYTES=\"0\" ({file} line 3) must be a whole number"
                + " from 1 to 16777216",
            3),
        Arguments.of(
            "a scalar out of range in a JSON config file",
            "config.json",
            "{\n  \"HTTP_PORT\": 9000,\n  \"HISTORY_SIZE\": -1\n}\n",
            "invalid configuration: HISTORY_SIZE=\"-1\" ({file} line 3) must be a whole number"
                + " from 1 to 10000",
            3),
        Arguments.of(
            "an unknown key in a config file, named with the nearest key",
            "config.yaml",
            "HTTP_PORT: 9000\nHEALTH_CHEK_INTERVAL: 3\n",
            "invalid configuration: HEALTH_CHEK_INTERVAL=\"3\" ({file} line 2) is not a setting"
                + " (did you mean HEALTH_CHECK_INTERVAL?); the README lists every key",
            2),
        Arguments.of(
            "a misspelt alert key in a config file",
            "config.yaml",
            "ALERT_WEBHOK: http://127.0.0.1:9000/ops\n",
            "invalid configuration: ALERT_WEBHOK=\"http://127.0.0.1:9000/ops\" ({file} line 1) is"
                + " not a setting (did you mean ALERT_WEBHOOK?); the README lists every key",
            1),
        Arguments.of(
            "an unclosed YAML flow sequence",
            "config.yaml",
            "services: [unclosed\n  - : :\n",
            "invalid configuration: {file} cannot be parsed as YAML at line 2, column 5: while"
                + " parsing a flow sequence, expected ',' or ']', but got :",
            2),
        Arguments.of(
            "a malformed .env line",
            ".env",
            "# ok\nWRITER_URL=http://w/health\nOOPS\n",
            "invalid configuration: line 3 \"OOPS\" (from {file}) must be KEY=VALUE",
            3),
        Arguments.of(
            "a bad value in .env",
            ".env",
            "HEALTH_CHECK_INTERVAL=abc\n",
            "invalid configuration: HEALTH_CHECK_INTERVAL=\"abc\" (from {file}) must be a positive"
                + " number of seconds",
            null),
        Arguments.of(
            "an unknown key in .env, named with the nearest key",
            ".env",
            "CIRCUIT_BREAKER_TRESHOLD=2\n",
            "invalid configuration: CIRCUIT_BREAKER_TRESHOLD=\"2\" (from {file}) is not a setting"
                + " (did you mean CIRCUIT_BREAKER_THRESHOLD?); the README lists every key",
            null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusedFiles")
  void aMistakeInAFileStopsLoadingNamingFileLineKeyAndRule(
      String mistake,
      String fileName,
      String content,
      String message,
      Integer line,
      Vertx vertx,
      VertxTestContext ctx)
      throws Exception {
    Path file = write(dir.resolve(fileName), content);
    expectFailure(
        vertx,
        ctx,
        sourcesReading(fileName),
        error -> {
          assertThat(error).isInstanceOf(InvalidConfigException.class);
          InvalidConfigException invalid = (InvalidConfigException) error;
          assertThat(invalid.getMessage()).isEqualTo(message.replace("{file}", file.toString()));
          assertThat(invalid.getMessage())
              .as("the message names the key")
              .matches(Pattern.quote("invalid configuration: " + invalid.key()) + "[= ].*");
          // A value has its place in the file; a file missing the value is only its source.
          String place = invalid.file() == null ? invalid.source() : invalid.file();
          assertThat(place).isEqualTo(file.toString());
          assertThat(invalid.line()).isEqualTo(line);
        });
  }

  /**
   * The services file is read only when named (then it must exist); config files and {@code .env}
   * are found in the directory.
   */
  private ConfigSources sourcesReading(String fileName) {
    Map<String, String> environment = new HashMap<>(FOREIGN_ENVIRONMENT);
    if (fileName.equals(SERVICES)) {
      environment.put(ConfigKeys.SERVICES_FILE, servicesFileIn(dir).toString());
    }
    return isolatedIn(dir).withEnvironment(environment).withSystemProperties(FOREIGN_PROPERTIES);
  }
}
