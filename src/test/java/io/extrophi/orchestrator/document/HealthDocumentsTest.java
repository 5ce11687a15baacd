package io.extrophi.orchestrator.document;

import static io.extrophi.orchestrator.document.Reading.example;
import static io.extrophi.orchestrator.document.Reading.paths;
import static io.extrophi.orchestrator.document.Reading.read;
import static io.extrophi.orchestrator.document.Reading.report;
import static io.extrophi.orchestrator.document.Reading.unreadable;
import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.testing.UnitTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * MicroProfile Health and health+json documents from the specifications' published examples, the
 * plain {@code {"status": …}} of FastAPI-style services, {@code auto}'s recognition and fallback,
 * and hostile documents of every format.
 */
@UnitTest
class HealthDocumentsTest {

  private static final String JSON = "application/json";

  @Test
  void theMicroProfileSpecificationsUpExamplePasses() {
    HealthReport report = report(DocumentFormat.AUTO, JSON, 200, example("microprofile-up.json"));

    assertThat(report.format()).isEqualTo(DocumentFormat.MICROPROFILE);
    assertThat(report.verdict()).isEqualTo(ReportedStatus.PASS);
    assertThat(paths(report)).containsExactly("first-check", "second-check");
  }

  @Test
  void theMicroProfileSpecificationsDownExampleFailsNamingTheCheck() {
    HealthReport report =
        report(DocumentFormat.MICROPROFILE, JSON, 503, example("microprofile-down.json"));

    assertThat(report.verdict()).isEqualTo(ReportedStatus.FAIL);
    assertThat(report.reason()).isEqualTo("second-check: DOWN");
  }

  @Test
  void theHealthJsonDraftsExamplePassesWithItsWarningsAsComponents() {
    HealthReport report =
        report(
            DocumentFormat.AUTO, "application/health+json", 200, example("health-json-draft.json"));

    assertThat(report.format()).isEqualTo(DocumentFormat.HEALTH_JSON);
    assertThat(report.verdict()).isEqualTo(ReportedStatus.PASS);
    assertThat(paths(report))
        .containsExactly(
            "cassandra:responseTime",
            "cassandra:connections",
            "uptime",
            "cpu:utilization/1",
            "cpu:utilization/2",
            "memory:utilization/1",
            "memory:utilization/2");
    Component connections = report.components().get(1);
    assertThat(connections.status()).isEqualTo(ReportedStatus.WARN);
    assertThat(connections.type()).isEqualTo("datastore");
  }

  @Test
  void healthJsonWarnAndFailWithOutputAreReadWithTheirAliases() {
    String warn =
        "{\"status\":\"warn\",\"checks\":{\"disk:utilization\":[{\"componentType\":\"system\","
            + "\"status\":\"warn\",\"output\":\"92% used\"}]}}";
    HealthReport warning = report(DocumentFormat.HEALTH_JSON, null, 200, warn);
    assertThat(warning.verdict()).isEqualTo(ReportedStatus.WARN);
    assertThat(warning.reason()).isEqualTo("disk:utilization: warn (92% used)");

    String error =
        "{\"status\":\"error\",\"checks\":{\"db\":[{\"componentId\":\"a\",\"status\":\"down\","
            + "\"output\":\"refused\"},{\"componentId\":\"b\",\"status\":\"ok\"}]}}";
    HealthReport failure = report(DocumentFormat.AUTO, "application/health+json", 503, error);
    assertThat(failure.verdict()).isEqualTo(ReportedStatus.FAIL);
    assertThat(paths(failure)).containsExactly("db/a", "db/b");
    assertThat(failure.reason()).isEqualTo("db/a: down (refused)");
    assertThat(failure.components().get(1).status()).isEqualTo(ReportedStatus.PASS);
  }

  @ParameterizedTest
  @ValueSource(strings = {"ok", "healthy", "up", "UP"})
  void aPlainStatusWordPasses(String word) {
    HealthReport report = report(DocumentFormat.AUTO, JSON, 200, "{\"status\": \"" + word + "\"}");

    assertThat(report.format()).isEqualTo(DocumentFormat.PLAIN);
    assertThat(report.verdict()).isEqualTo(ReportedStatus.PASS);
    assertThat(report.components()).isEmpty();
  }

  @Test
  void aPlainDownAtHttp200IsAFailureWithTheReportedStatus() {
    HealthReport report =
        report(DocumentFormat.AUTO, JSON, 200, "{\"status\": \"unhealthy\", \"version\": \"1.4\"}");

    assertThat(report.verdict()).isEqualTo(ReportedStatus.FAIL);
    assertThat(report.reason()).isEqualTo("reported status unhealthy");
  }

  @Test
  void underAutoABodyThatIsNoneOfTheFormatsIsLeftToTheStatusCode() {
    assertThat(read(DocumentFormat.AUTO, JSON, 200, "{\"status\": \"running\"}"))
        .isInstanceOf(DocumentReading.NotADocument.class);
    assertThat(read(DocumentFormat.AUTO, "text/plain", 200, "OK"))
        .isInstanceOf(DocumentReading.NotADocument.class);
    assertThat(read(DocumentFormat.AUTO, JSON, 200, "{\"uptime\": 12}"))
        .isInstanceOf(DocumentReading.NotADocument.class);
    assertThat(read(DocumentFormat.AUTO, JSON, 200, "{\"status\": \"UP\", "))
        .isInstanceOf(DocumentReading.NotADocument.class);
    assertThat(read(DocumentFormat.AUTO, JSON, 200, ""))
        .isInstanceOf(DocumentReading.NotADocument.class);
  }

  @Test
  void underStatusNothingIsRead() {
    assertThat(read(DocumentFormat.STATUS, JSON, 200, "{\"status\": \"DOWN\"}"))
        .isInstanceOf(DocumentReading.NotADocument.class);
  }

  @ParameterizedTest
  @EnumSource(
      value = DocumentFormat.class,
      names = {"SPRING", "MICROPROFILE", "HEALTH_JSON", "VERTX", "PLAIN"})
  void anExplicitFormatFailsAnUnreadableBodySayingWhy(DocumentFormat format) {
    String name = format.configName();
    assertThat(unreadable(format, "")).isEqualTo("body is empty, expected a " + name + " document");
    assertThat(unreadable(format, "OK")).isEqualTo("body is not JSON (format " + name + ")");
    assertThat(unreadable(format, "{\"status\": 1}"))
        .isEqualTo("status is not a string in the " + name + " document");
    assertThat(unreadable(format, "{\"status\": \"UP\"} {}"))
        .isEqualTo("body is not JSON (format " + name + ")");
  }

  @ParameterizedTest
  @EnumSource(
      value = DocumentFormat.class,
      names = {"SPRING", "MICROPROFILE", "HEALTH_JSON", "VERTX"})
  void tenThousandComponentsKeepSixtyFourAndCountTheRestUpToTheReadersBound(DocumentFormat format) {
    HealthReport report = report(format, JSON, 503, manyComponents(format, 10_000));

    assertThat(report.components()).hasSize(HealthReport.MAX_COMPONENTS);
    assertThat(report.omittedComponents())
        .isEqualTo(BoundedJson.MAX_ENTRIES - HealthReport.MAX_COMPONENTS);
    assertThat(report.verdict()).isEqualTo(ReportedStatus.FAIL);
    String down = format == DocumentFormat.HEALTH_JSON ? "fail" : "DOWN";
    assertThat(report.reason())
        .startsWith("c0: " + down + "; c1: " + down + "; c2: " + down + " and ");
  }

  @ParameterizedTest
  @EnumSource(
      value = DocumentFormat.class,
      names = {"AUTO", "SPRING", "MICROPROFILE", "HEALTH_JSON", "VERTX", "PLAIN"})
  void aDocumentNestedTenThousandDeepCostsAScanAndNothingElse(DocumentFormat format) {
    String hostile = "{\"status\":\"UP\",\"x\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}";

    DocumentReading reading = read(format, JSON, 200, hostile);

    if (format == DocumentFormat.AUTO) {
      assertThat(reading).isInstanceOf(DocumentReading.NotADocument.class);
    } else {
      assertThat(((DocumentReading.Unreadable) reading).why()).startsWith("body nests deeper than");
    }
  }

  @Test
  void longNamesAndOutputsAreCutShort() {
    String longText = "x".repeat(10_000);
    HealthReport report =
        report(
            DocumentFormat.MICROPROFILE,
            JSON,
            503,
            "{\"status\":\"DOWN\",\"checks\":[{\"name\":\""
                + longText
                + "\",\"status\":\"DOWN\",\"data\":{\"error\":\""
                + longText
                + "\"}}]}");

    Component component = report.components().get(0);
    assertThat(component.path()).hasSize(Component.MAX_TEXT);
    assertThat(component.output()).hasSize(Component.MAX_TEXT);
  }

  /** A document of {@code count} DOWN components in {@code format}'s shape. */
  static String manyComponents(DocumentFormat format, int count) {
    StringBuilder json = new StringBuilder();
    for (int i = 0; i < count; i++) {
      if (i > 0) {
        json.append(',');
      }
      switch (format) {
        case SPRING -> json.append("\"c").append(i).append("\":{\"status\":\"DOWN\"}");
        case MICROPROFILE ->
            json.append("{\"name\":\"c").append(i).append("\",\"status\":\"DOWN\"}");
        case VERTX -> json.append("{\"id\":\"c").append(i).append("\",\"status\":\"DOWN\"}");
        default -> json.append("\"c").append(i).append("\":[{\"status\":\"fail\"}]");
      }
    }
    return switch (format) {
      case SPRING -> "{\"status\":\"DOWN\",\"components\":{" + json + "}}";
      case MICROPROFILE -> "{\"status\":\"DOWN\",\"checks\":[" + json + "]}";
      case VERTX -> "{\"status\":\"DOWN\",\"outcome\":\"DOWN\",\"checks\":[" + json + "]}";
      default -> "{\"status\":\"fail\",\"checks\":{" + json + "}}";
    };
  }
}
