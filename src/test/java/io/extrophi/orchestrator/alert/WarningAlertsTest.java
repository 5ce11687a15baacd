package io.extrophi.orchestrator.alert;

import static io.extrophi.orchestrator.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

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

  /**
   * Serves {@code document} from both targets and runs a round; the last of the {@code count}
   * alerts received by then, no more coming.
   */
  private JsonObject alertOnceServing(Document document, int count, TargetServer... targets)
      throws Exception {
    serve(document, targets);
    fixture.round();
    List<JsonObject> alerts = fixture.alertsSettleAt(count);
    assertThat(alerts).hasSize(count);
    return alerts.get(count - 1);
  }

  @Test
  void enteringAndLeavingAWarningAlertsOnlyWithAlertOnWarn(Vertx vertx) throws Exception {
    TargetServer writer = await(TargetServer.start(vertx));
    TargetServer research = await(TargetServer.start(vertx));
    serve(UP, writer, research);
    fixture =
        AlertReceiverFixture.start(
            vertx, List.of(service("writer", writer, true), service("research", research, false)));

    JsonObject warning = alertOnceServing(OUT_OF_SERVICE, 1, writer, research);
    JsonObject cleared = alertOnceServing(UP, 2, writer, research);
    assertThat(List.of(warning, cleared))
        .extracting(
            alert -> alert.getString("service"),
            alert -> alert.getString("previous_reported_status"),
            alert -> alert.getString("reported_status"),
            alert -> alert.getString("previous_state"),
            alert -> alert.getString("new_state"),
            alert -> alert.getString("summary"))
        .containsExactly(
            tuple(
                "writer",
                "pass",
                "warn",
                "healthy",
                "healthy",
                "writer reports warn (was pass), healthy: db: OUT_OF_SERVICE"),
            tuple(
                "writer",
                "warn",
                "pass",
                "healthy",
                "healthy",
                "writer reports pass (was warn), healthy: check succeeded"));
    assertThat(cleared.getString("id")).isNotEqualTo(warning.getString("id"));
  }
}
