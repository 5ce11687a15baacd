package io.extrophi.orchestrator.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.bus.HealthState;
import io.extrophi.orchestrator.bus.HealthTransition;
import io.extrophi.orchestrator.bus.ReportedStatusChange;
import io.extrophi.orchestrator.config.AlertFormat;
import io.extrophi.orchestrator.document.ReportedStatus;
import io.extrophi.orchestrator.testing.UnitTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The alert's JSON payload, its Slack line and its id. */
@UnitTest
class AlertTest {

  private static final Instant AT = Instant.parse("2026-11-18T12:00:00.000001Z");

  private static final HealthTransition DOWN =
      writer(HealthState.HEALTHY, HealthState.UNHEALTHY, "HTTP 503");

  /** writer's health going {@code from} {@code to} for {@code reason}, at {@link #AT}. */
  private static HealthTransition writer(HealthState from, HealthState to, String reason) {
    return new HealthTransition("writer", from, to, reason, AT);
  }

  @Test
  void theJsonPayloadCarriesEveryField() {
    Alert alert = Alert.of(DOWN, "http://writer:8000/health", "node-1");

    assertThat(alert.toJson())
        .isEqualTo(
            new JsonObject()
                .put("schema_version", 1)
                .put("id", alert.id())
                .put("service", "writer")
                .put("previous_state", "healthy")
                .put("new_state", "unhealthy")
                .put("reason", "HTTP 503")
                .put("timestamp", "2026-11-18T12:00:00.000001Z")
                .put("service_url", "http://writer:8000/health")
                .put("node", "node-1")
                .put("affected_services", new JsonArray())
                .putNull("update_of")
                .putNull("root_cause")
                .putNull("reported_status")
                .putNull("previous_reported_status")
                .put("summary", "writer is unhealthy (was healthy): HTTP 503"));
  }

  @Test
  void aWarningAlertKeepsTheHealthAndSaysWhatTheServiceReports() {
    ReportedStatusChange warns =
        new ReportedStatusChange(
            "writer",
            ReportedStatus.PASS,
            ReportedStatus.WARN,
            HealthState.HEALTHY,
            "db: OUT_OF_SERVICE",
            AT);
    Alert alert = Alert.ofWarning(warns, "http://writer:8000/health", null);

    assertThat(alert.toJson().getString("previous_state")).isEqualTo("healthy");
    assertThat(alert.toJson().getString("new_state")).isEqualTo("healthy");
    assertThat(alert.toJson().getString("reported_status")).isEqualTo("warn");
    assertThat(alert.toJson().getString("previous_reported_status")).isEqualTo("pass");
    assertThat(SlackMessage.of(alert).getString("text"))
        .isEqualTo(
            ":large_yellow_circle: *writer* reports warn (was pass), healthy: db: OUT_OF_SERVICE"
                + " — 2026-11-18T12:00:00.000001Z");
    assertThat(Alert.ofWarning(warns, null, null).id()).isEqualTo(alert.id());
  }

  @Test
  void theIdIsAUuidDerivedFromTheTransition() {
    String id = Alert.of(DOWN, null, null).id();

    assertThat(UUID.fromString(id).toString()).isEqualTo(id);
    assertThat(Alert.of(DOWN, "http://other/", "other-node").id()).isEqualTo(id);
    assertThat(
            Alert.of(
                    new HealthTransition(
                        "writer",
                        HealthState.HEALTHY,
                        HealthState.UNHEALTHY,
                        "HTTP 503",
                        AT.plusNanos(1000)),
                    null,
                    null)
                .id())
        .isNotEqualTo(id);
    assertThat(
            Alert.of(
                    writer(HealthState.UNHEALTHY, HealthState.CIRCUIT_OPEN, "HTTP 503"), null, null)
                .id())
        .isNotEqualTo(id);
  }

  @Test
  void credentialsInTheServiceUrlStayHome() {
    Alert alert = Alert.of(DOWN, "https://probe:s3cret@writer.internal:8443/health?x=1", null);

    assertThat(alert.serviceUrl()).isEqualTo("https://writer.internal:8443/health?x=1");
    assertThat(alert.toJson().encode()).doesNotContain("s3cret");
    assertThat(alert.toJson().getValue("node")).isNull();
  }

  @Test
  void theSlackFormatIsOneReadableLine() {
    JsonObject slack =
        new Receiver("http://127.0.0.1:1/hook", AlertFormat.SLACK)
            .body(Alert.of(DOWN, null, "node-1"))
            .toJsonObject();

    assertThat(slack.fieldNames()).containsExactly("text");
    assertThat(slack.getString("text"))
        .isEqualTo(
            ":red_circle: *writer* is unhealthy (was healthy): HTTP 503 —"
                + " 2026-11-18T12:00:00.000001Z (node node-1)");
  }

  @Test
  void slackMarkupInAReasonIsShownAsWritten() {
    HealthTransition change =
        writer(HealthState.UNHEALTHY, HealthState.HEALTHY, "body <b>ok</b> & more");

    String text = SlackMessage.of(Alert.of(change, null, null)).getString("text");

    assertThat(text)
        .startsWith(":large_green_circle: *writer* is healthy (was unhealthy): ")
        .contains("body &lt;b&gt;ok&lt;/b&gt; &amp; more")
        .doesNotContain("(node");
  }

  @Test
  void everyStateHasItsOwnEmoji() {
    for (HealthState state : HealthState.values()) {
      HealthTransition change = new HealthTransition("a", HealthState.HEALTHY, state, "r", AT);
      assertThat(SlackMessage.of(Alert.of(change, null, null)).getString("text")).startsWith(":");
    }
    HealthTransition open =
        new HealthTransition("a", HealthState.UNHEALTHY, HealthState.CIRCUIT_OPEN, "r", AT);
    assertThat(SlackMessage.of(Alert.of(open, null, null)).getString("text"))
        .startsWith(":no_entry:");
  }

  @Test
  void aReceiverShowsItsHostAndAFingerprintOnly() {
    Receiver one =
        new Receiver("https://hooks.slack.com/services/T0/B0/secret1", AlertFormat.SLACK);
    Receiver two =
        new Receiver("https://hooks.slack.com/services/T0/B0/secret2", AlertFormat.SLACK);

    assertThat(one.toString())
        .startsWith("https://hooks.slack.com/… #")
        .endsWith(" (slack)")
        .doesNotContain("secret");
    assertThat(one.toString()).isNotEqualTo(two.toString());
  }
}
