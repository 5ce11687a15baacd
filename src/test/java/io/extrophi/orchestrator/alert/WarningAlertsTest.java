package io.extrophi.orchestrator.alert;

import static io.extrophi.orchestrator.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.config.DocumentCheck;
import io.extrophi.orchestrator.config.ServiceDefinition;
import io.extrophi.orchestrator.document.DocumentFormat;
import io.extrophi.orchestrator.document.WarnOn;
import io.extrophi.orchestrator.testing.AlertReceiverFixture;
import io.extrophi.orchestrator.testing.IntegrationTest;
import io.extrophi.orchestrator.testing.SpringActuatorDocuments;
import io.extrophi.orchestrator.testing.SpringActuatorDocuments.Document;
import io.extrophi.orchestrator.testing.TargetServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.Map;
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

  private AlertReceiverFixture fixture;

  @AfterEach
  void stop() throws Exception {
    if (fixture != null) {
      fixture.stop();
    }
  }

  private static ServiceDefinition service(String name, TargetServer target, boolean alertOnWarn) {
    return AlertReceiverFixture.service(name, target)
        .document(new DocumentCheck(DocumentFormat.AUTO, WarnOn.DEFAULT, alertOnWarn))
        .build();
  }

  private static void serve(Document document, TargetServer... targets) {
    for (TargetServer target : targets) {
      target.respondWith(document.statusCode(), document.body());
    }
  }

  @Test
  void enteringAndLeavingAWarningAlertsOnlyWithAlertOnWarn(Vertx vertx) throws Exception {
    TargetServer writer = await(TargetServer.start(vertx));
    TargetServer research = await(TargetServer.start(vertx));
    serve(UP, writer, research);
    fixture =
        AlertReceiverFixture.start(
            vertx, List.of(service("writer", writer, true), service("research", research, false)));

    serve(OUT_OF_SERVICE, writer, research);
    fixture.round();
    List<JsonObject> warned = fixture.alertsSettleAt(1);
    assertThat(warned).hasSize(1);
    JsonObject warning = warned.get(0);
    assertThat(warning.getMap())
        .containsAllEntriesOf(
            Map.of(
                "service", "writer",
                "reported_status", "warn",
                "previous_reported_status", "pass",
                "previous_state", "healthy",
                "new_state", "healthy",
                "summary", "writer reports warn (was pass), healthy: db: OUT_OF_SERVICE"));

    serve(UP, writer, research);
    fixture.round();
    List<JsonObject> all = fixture.alertsSettleAt(2);
    assertThat(all).hasSize(2);
    JsonObject cleared = all.get(1);
    assertThat(cleared.getMap())
        .containsAllEntriesOf(
            Map.of(
                "service", "writer",
                "reported_status", "pass",
                "previous_reported_status", "warn",
                "summary", "writer reports pass (was warn), healthy: check succeeded"));
    assertThat(cleared.getString("id")).isNotEqualTo(warning.getString("id"));
  }
}
