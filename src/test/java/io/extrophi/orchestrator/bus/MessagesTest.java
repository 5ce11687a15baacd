package io.extrophi.orchestrator.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.extrophi.orchestrator.testing.UnitTest;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

@UnitTest
class MessagesTest {

  private static final Instant AT = Instant.parse("2026-11-18T12:00:00.000001Z");

  @Test
  void probeResultSurvivesTheEventBusJson() {
    ProbeResult healthy = ProbeResult.success("writer", 200, 45.2, AT);
    ProbeResult failed = ProbeResult.failure("backend", null, null, "connection refused", AT);
    assertThat(ProbeResult.fromJson(healthy.toJson())).isEqualTo(healthy);
    assertThat(ProbeResult.fromJson(failed.toJson())).isEqualTo(failed);
    assertThat(failed.toJson().encode())
        .isEqualTo(
            "{\"service\":\"backend\",\"healthy\":false,\"status_code\":null,"
                + "\"response_time_ms\":null,\"error_message\":\"connection refused\","
                + "\"checked_at\":\"2026-11-18T12:00:00.000001Z\"}");
  }

  @Test
  void breakerTransitionSurvivesTheEventBusJsonAndDescribesItself() {
    BreakerTransition transition =
        new BreakerTransition(
            "writer", CircuitState.CLOSED, CircuitState.OPEN, "after 5 consecutive failures", AT);
    assertThat(BreakerTransition.fromJson(transition.toJson())).isEqualTo(transition);
    assertThat(transition.toJson().getString("to")).isEqualTo("open");
    assertThat(transition.describe())
        .isEqualTo("circuit writer: closed -> open after 5 consecutive failures");
  }

  @Test
  void publishedResultsCarryTheSchemaVersionStoredOnesDoNot() {
    ProbeResult result = ProbeResult.success("writer", 200, 45.2, AT);
    assertThat(result.toEventJson().fieldNames()).first().isEqualTo("schema_version");
    assertThat(result.toEventJson().getInteger("schema_version")).isEqualTo(MessageSchema.VERSION);
    assertThat(result.toJson().containsKey("schema_version")).isFalse();
    assertThat(ProbeResult.fromJson(result.toEventJson())).isEqualTo(result);
    BreakerTransition transition =
        new BreakerTransition(
            "writer", CircuitState.OPEN, CircuitState.HALF_OPEN, "after 60 s", AT);
    assertThat(transition.toJson().getInteger("schema_version")).isEqualTo(1);
  }

  @Test
  void healthTransitionSurvivesItsJsonAndDescribesItself() {
    HealthTransition change =
        new HealthTransition(
            "backend", HealthState.HEALTHY, HealthState.UNHEALTHY, "connection refused", AT);
    assertThat(change.toJson().encode())
        .isEqualTo(
            "{\"schema_version\":1,\"service\":\"backend\",\"from\":\"healthy\","
                + "\"to\":\"unhealthy\",\"reason\":\"connection refused\","
                + "\"at\":\"2026-11-18T12:00:00.000001Z\",\"root_cause\":null}");
    assertThat(HealthTransition.fromJson(change.toJson())).isEqualTo(change);
    assertThat(change.describe())
        .isEqualTo("health backend: healthy -> unhealthy (connection refused)");
  }

  @Test
  void aHealthTransitionNamesTheRootCauseThatTookItDown() {
    HealthTransition change =
        new HealthTransition(
            "writer", HealthState.HEALTHY, HealthState.UNHEALTHY, "HTTP 503", AT, "backend");
    assertThat(change.toJson().getString("root_cause")).isEqualTo("backend");
    assertThat(HealthTransition.fromJson(change.toJson())).isEqualTo(change);
    assertThat(change.describe())
        .isEqualTo("health writer: healthy -> unhealthy (HTTP 503; root cause: backend)");
    JsonObject withoutTheField = change.toJson();
    withoutTheField.remove("root_cause");
    assertThat(HealthTransition.fromJson(withoutTheField).rootCause())
        .as("a message from a node without dependencies")
        .isNull();
  }

  @Test
  void aReplicatedBatchKeepsItsEventsInOrderAndSkipsKindsItDoesNotKnow() {
    StatusEventBatch batch =
        new StatusEventBatch(
            List.of(
                ProbeResult.failure("a", null, null, "timeout after 5000 ms", AT),
                new BreakerTransition("a", CircuitState.CLOSED, CircuitState.OPEN, "after 5", AT),
                ProbeResult.success("b", 200, 3.0, AT)),
            42);
    JsonObject json = batch.toReplicationJson("node-1");
    assertThat(json.getInteger("schema_version")).isEqualTo(1);
    json.getJsonArray("events").add(new JsonObject().put("future_kind", new JsonObject()));
    StatusEventBatch.Replicated back = StatusEventBatch.fromReplicationJson(json);
    assertThat(back.node()).isEqualTo("node-1");
    assertThat(back.batch()).isEqualTo(batch);
    assertThatThrownBy(() -> StatusEventBatch.fromReplicationJson(new JsonObject()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
