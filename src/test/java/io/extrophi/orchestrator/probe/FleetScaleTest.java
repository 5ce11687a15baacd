package io.extrophi.orchestrator.probe;

import static io.extrophi.orchestrator.testing.Checked.thenComplete;
import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.config.OrchestratorConfig;
import io.extrophi.orchestrator.config.RuntimeSettings;
import io.extrophi.orchestrator.config.ServiceDefinition;
import io.extrophi.orchestrator.testing.Eventually;
import io.extrophi.orchestrator.testing.IntegrationTest;
import io.extrophi.orchestrator.testing.MonitoredTarget;
import io.extrophi.orchestrator.testing.TargetServer;
import io.extrophi.orchestrator.testing.TestConfigs;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A fleet of 1,000 services against an in-process target: correctness, not timing. */
@ExtendWith(VertxExtension.class)
@IntegrationTest
class FleetScaleTest {

  private static final int SERVICES = 1_000;
  private static final int MAX_IN_FLIGHT = 50;

  @Test
  void everyServiceIsProbedAndEveryProbeIsCountedOnceWithinTheInFlightCap(
      Vertx vertx, VertxTestContext test) {
    AtomicReference<TargetServer> target = new AtomicReference<>();
    MonitoredTarget.start(vertx, FleetScaleTest::fleetAgainst)
        // The start-up round, then a triggered one: with a long interval nothing else runs, so
        // when the trigger returns no probe is in flight and the counts must match exactly. A
        // received result means that service's start-up probe is no longer in flight.
        .compose(
            started -> {
              target.set(started.target());
              return Eventually.until(vertx, () -> started.results().size() >= SERVICES, 60_000)
                  .compose(firstRound -> started.checker().trigger())
                  .compose(triggered -> started.checker().status());
            })
        .onComplete(
            thenComplete(
                test,
                status -> {
                  JsonObject services = status.getJsonObject("services");
                  assertThat(services.size()).isEqualTo(SERVICES);
                  long total = 0;
                  for (String name : services.fieldNames()) {
                    JsonObject service = services.getJsonObject(name);
                    assertThat(service.getString("health")).as(name).isEqualTo("healthy");
                    assertThat(service.getLong("total_checks")).as(name).isEqualTo(2);
                    total += service.getLong("total_checks");
                  }
                  assertThat(total).isEqualTo(target.get().requests());
                  assertThat(status.getString("overall_health")).isEqualTo("healthy");
                  assertThat(target.get().maxInFlight()).isLessThanOrEqualTo(MAX_IN_FLIGHT);
                }));
  }

  private static OrchestratorConfig fleetAgainst(TargetServer target) {
    Duration interval = Duration.ofMinutes(10);
    Duration timeout = Duration.ofSeconds(10);
    List<ServiceDefinition> fleet = new ArrayList<>();
    for (int i = 0; i < SERVICES; i++) {
      fleet.add(
          ServiceDefinition.of(
              "svc-" + i, "http://127.0.0.1:" + target.port() + "/health/" + i, interval, timeout));
    }
    RuntimeSettings runtime =
        RuntimeSettings.inMemory().toBuilder()
            .maxBodyBytes(65_536)
            .maxInFlightProbes(MAX_IN_FLIGHT)
            .historySize(10)
            .triggerMinGap(Duration.ZERO)
            .build();
    return TestConfigs.builder(fleet, interval, timeout).runtime(runtime).build();
  }
}
