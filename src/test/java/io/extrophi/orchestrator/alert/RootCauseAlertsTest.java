package io.extrophi.orchestrator.alert;

import static io.extrophi.orchestrator.bus.HealthState.CIRCUIT_OPEN;
import static io.extrophi.orchestrator.bus.HealthState.HEALTHY;
import static io.extrophi.orchestrator.bus.HealthState.UNHEALTHY;
import static io.extrophi.orchestrator.bus.HealthState.UNKNOWN;
import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.bus.HealthState;
import io.extrophi.orchestrator.bus.HealthTransition;
import io.extrophi.orchestrator.config.OrchestratorConfig;
import io.extrophi.orchestrator.config.ServiceDefinition;
import io.extrophi.orchestrator.testing.UnitTest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which alerts and updates the transitions of a fleet with dependencies make, without Vert.x. */
@UnitTest
class RootCauseAlertsTest {

  /**
   * Backend fails and takes writer down; backend recovers and writer, still down once the grace
   * ended, gets the alert that was held back.
   */
  private static final List<String> WRITER_STILL_DOWN_AFTER_BACKEND_RECOVERED =
      List.of(
          "backend is unhealthy (was healthy): HTTP 503",
          "update: backend is unhealthy (was healthy): HTTP 503; taking down writer",
          "backend is healthy (was unhealthy): check succeeded",
          "writer is unhealthy (was healthy): HTTP 503");

  private final AlertPolicy policy = new AlertPolicy();
  private final List<RootCauseAlerts.Outgoing> sent = new ArrayList<>();
  private final List<RootCauseAlerts.Recheck> rechecks = new ArrayList<>();
  private long clock;
  private RootCauseAlerts alerts;

  private void fleet(ServiceDefinition... services) {
    alerts =
        new RootCauseAlerts(
            OrchestratorConfig.builder().services(List.of(services)).build(),
            new FleetHealth(),
            null);
  }

  private static ServiceDefinition service(String name, String... dependsOn) {
    return ServiceDefinition.builder(name, "http://" + name + "/health")
        .dependsOn(List.of(dependsOn))
        .build();
  }

  private HealthTransition change(String service, HealthState from, HealthState to) {
    return new HealthTransition(
        service, from, to, to == HEALTHY ? "check succeeded" : "HTTP 503", at());
  }

  private Instant at() {
    return Instant.ofEpochSecond(1_800_000_000L + clock++);
  }

  private void local(String service, HealthState from, HealthState to) {
    decide(change(service, from, to));
  }

  /** The first checks find {@code services} healthy. */
  private void firstHealthy(String... services) {
    for (String service : services) {
      local(service, UNKNOWN, HEALTHY);
    }
  }

  /** {@code services} fail, one after the other. */
  private void goDown(String... services) {
    for (String service : services) {
      local(service, HEALTHY, UNHEALTHY);
    }
  }

  private void decide(HealthTransition change) {
    RootCauseAlerts.Decision decision =
        alerts.onLocalTransition(change, policy.shouldAlert(change));
    sent.addAll(decision.alerts());
    rechecks.addAll(decision.rechecks());
  }

  /** The grace periods end. */
  private void graceEnds() {
    rechecks.forEach(recheck -> alerts.afterGrace(recheck).ifPresent(sent::add));
    rechecks.clear();
  }

  private List<String> summaries() {
    return sent.stream().map(outgoing -> outgoing.alert().summary()).toList();
  }

  @Test
  void dependentsGoingDownUpdateTheAlertOfTheirRootCause() {
    fleet(service("writer", "backend"), service("research", "backend"), service("backend"));
    firstHealthy("writer", "research", "backend");
    goDown("backend", "writer", "research");
    local("writer", UNHEALTHY, CIRCUIT_OPEN);
    local("backend", UNHEALTHY, HEALTHY);
    local("writer", CIRCUIT_OPEN, HEALTHY);
    local("research", UNHEALTHY, HEALTHY);
    graceEnds();

    assertThat(summaries())
        .containsExactly(
            "backend is unhealthy (was healthy): HTTP 503",
            "update: backend is unhealthy (was healthy): HTTP 503; taking down writer",
            "update: backend is unhealthy (was healthy): HTTP 503; taking down writer, research",
            "backend is healthy (was unhealthy): check succeeded",
            "writer is healthy (was circuit_open): check succeeded",
            "research is healthy (was unhealthy): check succeeded");
    Alert original = sent.get(0).alert();
    assertThat(sent.get(1).alert().updateOf()).isEqualTo(original.id());
    assertThat(sent.get(2).alert().updateOf()).isEqualTo(original.id());
    assertThat(sent.get(2).alert().affectedServices()).containsExactly("writer", "research");
    assertThat(sent.stream().map(outgoing -> outgoing.alert().id())).doesNotHaveDuplicates();
    assertThat(sent.get(1).routedFor()).containsExactly("backend", "writer");
  }

  @Test
  void aDependentFailingAloneAlertsAsWithoutDependencies() {
    fleet(service("writer", "backend"), service("backend"));
    firstHealthy("backend", "writer");
    goDown("writer");
    local("writer", UNHEALTHY, CIRCUIT_OPEN);
    assertThat(summaries())
        .containsExactly(
            "writer is unhealthy (was healthy): HTTP 503",
            "writer is circuit_open (was unhealthy): HTTP 503");
    assertThat(sent.get(0).alert().toJson().getValue("root_cause")).isNull();
    assertThat(sent.get(0).alert().toJson().getJsonArray("affected_services")).isEmpty();
  }

  @Test
  void aChainOfThreeAlertsOnlyItsEnd() {
    fleet(service("writer", "api"), service("api", "db"), service("db"));
    goDown("db", "api", "writer");
    assertThat(summaries())
        .containsExactly(
            "db is unhealthy (was healthy): HTTP 503",
            "update: db is unhealthy (was healthy): HTTP 503; taking down api",
            "update: db is unhealthy (was healthy): HTTP 503; taking down writer, api");
  }

  @Test
  void aServiceStillDownAfterItsRootCauseRecoveredGetsTheAlertHeldBack() {
    fleet(service("writer", "backend"), service("backend"));
    goDown("backend", "writer");
    local("backend", UNHEALTHY, HEALTHY);
    assertThat(rechecks)
        .singleElement()
        .satisfies(
            recheck ->
                assertThat(recheck.after())
                    .as("two rounds and a timeout")
                    .isEqualTo(java.time.Duration.ofSeconds(65)));
    graceEnds();
    assertThat(summaries()).containsExactlyElementsOf(WRITER_STILL_DOWN_AFTER_BACKEND_RECOVERED);
  }

  @Test
  void aRootCauseWhoseFailureBeganUnheardNamesItInTheDependentsOwnAlert() {
    fleet(service("writer", "backend"), service("backend"));
    // Heard from the cluster while already failing: when it began is unknown.
    alerts.onFleetTransition(change("backend", UNHEALTHY, CIRCUIT_OPEN));
    goDown("writer");
    assertThat(summaries())
        .containsExactly("writer is unhealthy (was healthy): HTTP 503; root cause: backend");
  }

  @Test
  void aTransitionHeardAgainFromTheClusterChangesNothing() {
    fleet(service("writer", "backend"), service("backend"));
    HealthTransition down = change("backend", HEALTHY, UNHEALTHY);
    alerts.onFleetTransition(down);
    decide(down);
    alerts.onFleetTransition(down);
    goDown("writer");
    HealthTransition up = change("backend", UNHEALTHY, HEALTHY);
    alerts.onFleetTransition(up);
    decide(up);
    graceEnds();
    assertThat(summaries()).containsExactlyElementsOf(WRITER_STILL_DOWN_AFTER_BACKEND_RECOVERED);
  }
}
