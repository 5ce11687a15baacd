package io.extrophi.orchestrator.status;

import static io.extrophi.orchestrator.testing.Checked.thenComplete;
import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.bus.EventBusAddresses;
import io.extrophi.orchestrator.bus.HealthState;
import io.extrophi.orchestrator.bus.HealthTransition;
import io.extrophi.orchestrator.testing.BusMessages;
import io.extrophi.orchestrator.testing.IntegrationTest;
import io.extrophi.orchestrator.testing.LaterRounds;
import io.extrophi.orchestrator.testing.MonitoredTarget;
import io.extrophi.orchestrator.testing.TestConfigs;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code orchestrator.health.transition}: one message per change of health, with its reason. */
@ExtendWith(VertxExtension.class)
@IntegrationTest
class HealthTransitionsTest {

  @Test
  void publishesEachChangeOnceWithItsReason(Vertx vertx, VertxTestContext test) {
    List<JsonObject> published =
        BusMessages.recorded(vertx, EventBusAddresses.HEALTH_TRANSITIONS, json -> json);
    MonitoredTarget.start(
            vertx,
            target ->
                TestConfigs.config(
                    List.of(target.url()),
                    Duration.ofMillis(100),
                    Duration.ofMillis(500),
                    2,
                    1,
                    Duration.ofMinutes(1)))
        .compose(started -> started.until(() -> published.size() == 1))
        .compose(
            healthy -> {
              healthy.target().respondWith(503);
              return healthy.until(() -> published.size() == 3);
            })
        // Still failing, circuit open: three more rounds, no further change to publish.
        .compose(open -> LaterRounds.triggered(open.checker(), 3))
        .onComplete(
            thenComplete(
                test,
                quiet -> {
                  assertThat(published)
                      .allSatisfy(
                          json -> assertThat(json.getInteger("schema_version")).isEqualTo(1));
                  assertThat(published.stream().map(HealthTransition::fromJson))
                      .extracting(
                          HealthTransition::from, HealthTransition::to, HealthTransition::reason)
                      .containsExactly(
                          org.assertj.core.groups.Tuple.tuple(
                              HealthState.UNKNOWN, HealthState.HEALTHY, "check succeeded"),
                          org.assertj.core.groups.Tuple.tuple(
                              HealthState.HEALTHY, HealthState.UNHEALTHY, "HTTP 503"),
                          org.assertj.core.groups.Tuple.tuple(
                              HealthState.UNHEALTHY,
                              HealthState.CIRCUIT_OPEN,
                              "circuit open after 2 consecutive failures"));
                }));
  }
}
