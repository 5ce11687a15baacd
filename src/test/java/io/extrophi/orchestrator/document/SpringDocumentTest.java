package io.extrophi.orchestrator.document;

import static io.extrophi.orchestrator.document.Reading.paths;
import static io.extrophi.orchestrator.document.Reading.report;
import static io.extrophi.orchestrator.document.Reading.unreadable;
import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.testing.SpringActuatorDocuments;
import io.extrophi.orchestrator.testing.SpringActuatorDocuments.Document;
import io.extrophi.orchestrator.testing.UnitTest;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Health;

/** Spring Boot Actuator documents, made by Actuator's own endpoint and written by Jackson. */
@UnitTest
class SpringDocumentTest {

  private static HealthReport readAuto(Document document) {
    return report(
        DocumentFormat.AUTO,
        SpringActuatorDocuments.MEDIA_TYPE,
        document.statusCode(),
        document.body());
  }

  @Test
  void anApplicationWhoseIndicatorsAreUpPassesWithEachIndicatorAComponent() {
    Document document =
        SpringActuatorDocuments.application()
            .with("db", Health.up().withDetail("database", "PostgreSQL").build())
            .with("diskSpace", Health.up().withDetail("free", 1_000_000L).build())
            .with("ping", Health.up().build())
            .document();

    HealthReport report = readAuto(document);

    assertThat(document.statusCode()).isEqualTo(200);
    assertThat(report.format()).isEqualTo(DocumentFormat.SPRING);
    assertThat(report.verdict()).isEqualTo(ReportedStatus.PASS);
    assertThat(report.reason()).isNull();
    assertThat(paths(report)).containsExactlyInAnyOrder("db", "diskSpace", "ping");
    assertThat(report.components())
        .allMatch(component -> component.status() == ReportedStatus.PASS);
  }

  @Test
  void aDownIndicatorFailsTheServiceWithItsNameAndError() {
    Document document =
        SpringActuatorDocuments.application()
            .with("db", Health.down(new ConnectException("Connection refused")).build())
            .with("ping", Health.up().build())
            .document();

    HealthReport report = readAuto(document);

    assertThat(document.statusCode()).isEqualTo(503);
    assertThat(report.verdict()).isEqualTo(ReportedStatus.FAIL);
    assertThat(report.reported()).isEqualTo("DOWN");
    assertThat(report.reason())
        .isEqualTo("db: DOWN (java.net.ConnectException: Connection refused)");
    Component db =
        report.components().stream().filter(c -> c.path().equals("db")).findFirst().get();
    assertThat(db.status()).isEqualTo(ReportedStatus.FAIL);
    assertThat(db.up()).isFalse();
  }

  @Test
  void outOfServiceIsAWarningByDefaultAndAFailureWhenWarnOnLeavesItOut() {
    Document document =
        SpringActuatorDocuments.application()
            .with("db", Health.up().build())
            .with("maintenance", Health.outOfService().withDetail("reason", "reindexing").build())
            .document();

    HealthReport report = readAuto(document);
    assertThat(report.verdict()).isEqualTo(ReportedStatus.WARN);
    assertThat(report.reason()).isEqualTo("maintenance: OUT_OF_SERVICE (reindexing)");

    DocumentReading strict =
        HealthDocuments.read(
            DocumentFormat.SPRING,
            new WarnOn(List.of("warn")),
            SpringActuatorDocuments.MEDIA_TYPE,
            document.statusCode(),
            document.body().getBytes(StandardCharsets.UTF_8));
    assertThat(((DocumentReading.Read) strict).report().verdict()).isEqualTo(ReportedStatus.FAIL);
  }

  @Test
  void nestedCompositesAreFlattenedAndTheReasonNamesTheDeepestFailure() {
    Document document =
        SpringActuatorDocuments.application()
            .withComposite(
                "db",
                Map.of(
                    "primary", Health.up().build(),
                    "replica", Health.down().withDetail("error", "timeout").build()))
            .with("ping", Health.up().build())
            .document();

    HealthReport report = readAuto(document);

    assertThat(paths(report)).containsExactlyInAnyOrder("db", "db/primary", "db/replica", "ping");
    assertThat(report.reason()).isEqualTo("db/replica: DOWN (timeout)");
  }

  @Test
  void aCustomStatusCodeFailsItsComponentUnlessWarnOnListsIt() {
    // Actuator's default order leaves custom codes out of the aggregate: the root stays UP.
    Document document =
        SpringActuatorDocuments.application()
            .with("cache", Health.status("DEGRADED").build())
            .with("ping", Health.up().build())
            .document();

    HealthReport strict = readAuto(document);
    assertThat(strict.verdict()).isEqualTo(ReportedStatus.PASS);
    assertThat(status(strict, "cache")).isEqualTo(ReportedStatus.FAIL);
    DocumentReading lenient =
        HealthDocuments.read(
            DocumentFormat.SPRING,
            new WarnOn(List.of("degraded")),
            null,
            document.statusCode(),
            document.body().getBytes(StandardCharsets.UTF_8));
    assertThat(status(((DocumentReading.Read) lenient).report(), "cache"))
        .isEqualTo(ReportedStatus.WARN);
  }

  @Test
  void anApplicationWhoseOnlyIndicatorIsUnknownFails() {
    Document document =
        SpringActuatorDocuments.application().with("legacy", Health.unknown().build()).document();

    HealthReport report = readAuto(document);

    assertThat(document.statusCode()).isEqualTo(200);
    assertThat(report.reported()).isEqualTo("UNKNOWN");
    assertThat(report.verdict()).isEqualTo(ReportedStatus.FAIL);
    assertThat(report.reason()).isEqualTo("legacy: UNKNOWN");
  }

  private static ReportedStatus status(HealthReport report, String path) {
    return report.components().stream()
        .filter(component -> component.path().equals(path))
        .findFirst()
        .orElseThrow()
        .status();
  }

  @Test
  void tenThousandIndicatorsKeepTheFirstSixtyFourAndCountTheRest() {
    SpringActuatorDocuments application = SpringActuatorDocuments.application();
    for (int i = 0; i < 10_000; i++) {
      application.with(String.format("indicator%05d", i), Health.up().build());
    }

    HealthReport report = readAuto(application.document());

    assertThat(report.verdict()).isEqualTo(ReportedStatus.PASS);
    assertThat(report.components()).hasSize(HealthReport.MAX_COMPONENTS);
    assertThat(report.omittedComponents())
        .isEqualTo(BoundedJson.MAX_ENTRIES - HealthReport.MAX_COMPONENTS);
  }

  @Test
  void aMalformedDocumentUnderSpringFailsSayingWhy() {
    assertThat(unreadable(DocumentFormat.SPRING, "{\"status\": \"UP\", \"components\": {"))
        .isEqualTo("body is not JSON (format spring)");
    assertThat(unreadable(DocumentFormat.SPRING, "{\"components\": {}}"))
        .isEqualTo("no status in the spring document");
    assertThat(unreadable(DocumentFormat.SPRING, "[\"UP\"]"))
        .isEqualTo("body is not a JSON object (format spring)");
  }

  @Test
  void componentsNestedDeeperThanTheReaderKeepsAreSkippedNotFollowed() {
    HealthReport report = report(DocumentFormat.SPRING, null, 503, nested(100));

    assertThat(report.verdict()).isEqualTo(ReportedStatus.FAIL);
    assertThat(report.components()).hasSizeLessThan(BoundedJson.MAX_DEPTH);
    assertThat(report.reason()).startsWith("c0/c1/c2");
  }

  @Test
  void aDocumentNestedTenThousandDeepIsRefusedAtTheParsersLimit() {
    assertThat(unreadable(DocumentFormat.SPRING, nested(10_000)))
        .isEqualTo("body nests deeper than " + BoundedJson.MAX_NESTING + " levels");
    assertThat(Reading.read(DocumentFormat.AUTO, "application/json", 200, nested(10_000)))
        .isInstanceOf(DocumentReading.NotADocument.class);
  }

  /** A composite of a composite of … {@code depth} levels, each DOWN. */
  private static String nested(int depth) {
    StringBuilder deep = new StringBuilder();
    for (int i = 0; i < depth; i++) {
      deep.append("{\"status\":\"DOWN\",\"components\":{\"c").append(i).append("\":");
    }
    deep.append("{\"status\":\"DOWN\"}");
    deep.append("}}".repeat(depth));
    return deep.toString();
  }
}
