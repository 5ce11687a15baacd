package io.extrophi.orchestrator.alert;

import static io.extrophi.orchestrator.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.api.HealthChecker;
import io.extrophi.orchestrator.config.AlertFormat;
import io.extrophi.orchestrator.config.AlertSettings;
import io.extrophi.orchestrator.config.DocumentCheck;
import io.extrophi.orchestrator.config.OrchestratorConfig;
import io.extrophi.orchestrator.config.RuntimeSettings;
import io.extrophi.orchestrator.config.ServiceDefinition;
import io.extrophi.orchestrator.document.DocumentFormat;
import io.extrophi.orchestrator.document.WarnOn;
import io.extrophi.orchestrator.testing.Await;
import io.extrophi.orchestrator.testing.IntegrationTest;
import io.extrophi.orchestrator.testing.LaterRounds;
import io.extrophi.orchestrator.testing.SpringActuatorDocuments;
import io.extrophi.orchestrator.testing.SpringActuatorDocuments.Document;
import io.extrophi.orchestrator.testing.TargetServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.actuate.health.Health;

/**
 * {@code alert_on_warn} end to end: real targets serving Spring Boot Actuator documents that switch
 * from {@code UP} to {@code OUT_OF_SERVICE} and back, and a real webhook receiver. Only the service
 * with {@code alert_on_warn} alerts; its health stays {@code healthy} throughout.
 */
@ExtendWith(VertxExtension.class)
@IntegrationTest
class WarningAlertsTest {

  private static final Document UP =
      SpringActuatorDocuments.application().with("db", Health.up().build()).document();
  private static final Document OUT_OF_SERVICE =
      SpringActuatorDocuments.application().with("db", Health.outOfService().build()).document();

  private WebhookReceiver receiver;
  private HealthChecker checker;

  @AfterEach
  void stop() throws Exception {
    if (checker != null) {
      await(checker.stop());
    }
  }

  private static ServiceDefinition service(String name, TargetServer target, boolean alertOnWarn) {
    return ServiceDefinition.builder(name, target.url())
        .interval(Duration.ofMinutes(10))
        .timeout(Duration.ofSeconds(5))
        .document(new DocumentCheck(DocumentFormat.AUTO, WarnOn.DEFAULT, alertOnWarn))
        .build();
  }

  private void round() throws Exception {
    await(LaterRounds.triggered(checker, 1));
  }

  private static void serve(Document document, TargetServer... targets) {
    for (TargetServer target : targets) {
      target.respondWith(document.statusCode(), document.body());
    }
  }

  /** Waits until {@code count} alerts arrived, then runs two more rounds to prove no more come. */
  private List<JsonObject> alertsSettleAt(int count) throws Exception {
    Await.until(() -> receiver.requests().size() >= count, count + " alerts");
    round();
    round();
    AlertStats stats = checker.alertStats();
    Await.until(
        () -> stats.queued() - stats.sent() - stats.failed() - stats.dropped() == 0,
        "every queued alert delivered or given up");
    return receiver.requests().stream().map(WebhookReceiver.Received::body).toList();
  }

  @Test
  void enteringAndLeavingAWarningAlertsOnlyWithAlertOnWarn(Vertx vertx) throws Exception {
    receiver = await(WebhookReceiver.start(vertx));
    TargetServer writer = await(TargetServer.start(vertx));
    TargetServer research = await(TargetServer.start(vertx));
    serve(UP, writer, research);
    OrchestratorConfig config =
        OrchestratorConfig.builder()
            .services(
                List.of(service("writer", writer, true), service("research", research, false)))
            .checkInterval(Duration.ofMinutes(10))
            .http("127.0.0.1", 0)
            .runtime(RuntimeSettings.inMemory().toBuilder().triggerMinGap(Duration.ZERO).build())
            .alerts(
                AlertSettings.builder()
                    .webhook(receiver.url("/hook"))
                    .format(AlertFormat.JSON)
                    .retryInitial(Duration.ofMillis(20))
                    .build())
            .build();
    checker = new HealthChecker(vertx, config);
    await(checker.start());
    round();

    serve(OUT_OF_SERVICE, writer, research);
    round();
    List<JsonObject> warned = alertsSettleAt(1);
    assertThat(warned).hasSize(1);
    JsonObject warning = warned.get(0);
    assertThat(warning.getString("service")).isEqualTo("writer");
    assertThat(warning.getString("reported_status")).isEqualTo("warn");
    assertThat(warning.getString("previous_reported_status")).isEqualTo("pass");
    assertThat(warning.getString("previous_state")).isEqualTo("healthy");
    assertThat(warning.getString("new_state")).isEqualTo("healthy");
    assertThat(warning.getString("summary"))
        .isEqualTo("writer reports warn (was pass), healthy: db: OUT_OF_SERVICE");

    serve(UP, writer, research);
    round();
    List<JsonObject> all = alertsSettleAt(2);
    assertThat(all).hasSize(2);
    JsonObject cleared = all.get(1);
    assertThat(cleared.getString("service")).isEqualTo("writer");
    assertThat(cleared.getString("reported_status")).isEqualTo("pass");
    assertThat(cleared.getString("previous_reported_status")).isEqualTo("warn");
    assertThat(cleared.getString("summary"))
        .isEqualTo("writer reports pass (was warn), healthy: check succeeded");
    assertThat(cleared.getString("id")).isNotEqualTo(warning.getString("id"));
  }
}
