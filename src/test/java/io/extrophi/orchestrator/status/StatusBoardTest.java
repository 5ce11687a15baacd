package io.extrophi.orchestrator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.bus.BreakerTransition;
import io.extrophi.orchestrator.bus.CircuitState;
import io.extrophi.orchestrator.bus.HealthState;
import io.extrophi.orchestrator.bus.HealthTransition;
import io.extrophi.orchestrator.bus.ProbeResult;
import io.extrophi.orchestrator.config.ServiceDefinition;
import io.extrophi.orchestrator.testing.UnitTest;
import io.extrophi.orchestrator.view.EncodedSnapshot;
import io.extrophi.orchestrator.view.FleetQuery;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

@UnitTest
class StatusBoardTest {

  private static final Instant NOW = Instant.parse("2026-11-18T12:00:00Z");

  private final StatusBoard board =
      boardOf(service("writer", "critical"), service("research"), service("backend", "critical"));

  /** A board keeping the last 10 results of each of {@code services}. */
  private static StatusBoard boardOf(ServiceDefinition... services) {
    return new StatusBoard(List.of(services), 10);
  }

  private static ServiceDefinition service(String name, String... tags) {
    return ServiceDefinition.builder(name, "http://localhost/health")
        .interval(Duration.ofSeconds(30))
        .timeout(Duration.ofSeconds(5))
        .tags(List.of(tags))
        .build();
  }

  @Test
  void aServiceTakenDownByItsDependencyNamesItsRootCauseEverywhere() {
    StatusBoard fleet =
        boardOf(
            service("writer").toBuilder().dependsOn(List.of("backend")).build(),
            service("backend"));
    fleet.apply(ProbeResult.success("writer", 200, 1.0, NOW));
    fleet.apply(ProbeResult.failure("backend", 503, 1.0, "HTTP 503", NOW));
    // Cached encodings of writer must not outlive the change of backend's health.
    long now = NOW.toEpochMilli();
    assertThat(fleet.encodedSnapshot(now).render(NOW).toJsonObject()).isNotNull();
    HealthTransition down =
        fleet.apply(ProbeResult.failure("writer", 503, 1.0, "HTTP 503", NOW.plusSeconds(1))).get();
    assertThat(down.rootCause()).isEqualTo("backend");
    assertThat(fleet.serviceSnapshot(NOW, "writer").get().getString("root_cause"))
        .isEqualTo("backend");
    assertThat(
            fleet
                .snapshot(NOW)
                .getJsonObject("services")
                .getJsonObject("backend")
                .getValue("root_cause"))
        .as("its own root cause")
        .isNull();

    HealthTransition backendUp =
        fleet.apply(ProbeResult.success("backend", 200, 1.0, NOW.plusSeconds(2))).get();
    assertThat(backendUp.rootCause()).isNull();
    assertThat(
            fleet
                .encodedSnapshot(now)
                .render(NOW)
                .toJsonObject()
                .getJsonObject("services")
                .getJsonObject("writer")
                .getValue("root_cause"))
        .as("writer fails on its own now, in the encoded snapshot too")
        .isNull();
  }

  @Test
  void listsServicesInConfiguredOrder() {
    JsonObject snapshot = board.snapshot(NOW);
    assertThat(snapshot.getJsonObject("services").fieldNames())
        .containsExactly("writer", "research", "backend");
    assertThat(snapshot.getString("timestamp")).isEqualTo("2026-11-18T12:00:00.000000Z");
    assertThat(snapshot.getString("overall_health")).isEqualTo("unhealthy");
    assertThat(snapshot.fieldNames()).containsExactly("timestamp", "services", "overall_health");
  }

  @Test
  void theEncodedSnapshotIsTheSnapshotEncoded() {
    StatusBoard odd = boardOf(service("plain"), service("quote\" and ünïcødé \\ name"));
    assertThat(odd.encodedSnapshot(NOW.toEpochMilli()).render(NOW).toString())
        .isEqualTo(odd.snapshot(NOW).encode());

    odd.apply(ProbeResult.success("plain", 200, 1.5, NOW));
    odd.apply(ProbeResult.failure("quote\" and ünïcødé \\ name", null, 2.0, "a \"bad\" day", NOW));
    odd.apply(
        new BreakerTransition("plain", CircuitState.CLOSED, CircuitState.OPEN, "after 5", NOW));
    odd.setConfigError("services.yaml line 3: \"url\" is missing");
    Instant later = NOW.plusMillis(1_234);
    assertThat(odd.encodedSnapshot(later.toEpochMilli()).render(later).toString())
        .isEqualTo(odd.snapshot(later).encode());
  }

  @Test
  void theEncodedSnapshotOfATagIsTheTagSnapshotEncoded() {
    board.apply(ProbeResult.success("writer", 200, 1.0, NOW));
    board.apply(ProbeResult.failure("research", 503, 1.0, "HTTP 503", NOW));
    for (String tag : List.of("critical", "nobody-has-it")) {
      assertThat(board.encodedSnapshotWithTag(NOW.toEpochMilli(), tag).render(NOW).toString())
          .isEqualTo(board.snapshotWithTag(NOW, tag).encode());
    }
  }

  @Test
  void theEncodedRoundResultsAreTheSnapshotWithoutTheOverallHealth() {
    board.apply(ProbeResult.success("writer", 200, 1.5, NOW));
    board.setConfigError("a rejected reload");
    JsonObject snapshot = board.snapshot(NOW);
    JsonObject expected =
        new JsonObject()
            .put("timestamp", snapshot.getValue("timestamp"))
            .put("services", snapshot.getValue("services"));
    assertThat(board.encodedResults(NOW.toEpochMilli()).render(NOW).toString())
        .isEqualTo(expected.encode());
  }

  @Test
  void anEncodedSnapshotReadInChunksIsTheSameBytesAsWhole() {
    board.apply(ProbeResult.success("writer", 200, 1.5, NOW));
    board.setConfigError("a rejected reload");
    EncodedSnapshot encoded = board.encodedSnapshot(NOW.toEpochMilli());
    byte[] whole = encoded.render(NOW).getBytes();
    for (int chunk : List.of(1, 7, 64, whole.length - 1, whole.length, whole.length + 5)) {
      EncodedSnapshot.Reading reading = encoded.at(NOW);
      assertThat(reading.length()).isEqualTo(whole.length);
      io.vertx.core.buffer.Buffer joined = io.vertx.core.buffer.Buffer.buffer();
      while (reading.hasNext()) {
        joined.appendBuffer(reading.next(chunk));
      }
      assertThat(joined.getBytes()).as("chunks of %d bytes", chunk).isEqualTo(whole);
    }
  }

  @Test
  void aHealthFilterShowsOnlyThoseStatesAndKeepsTheOverallHealthOfTheFleet() {
    board.apply(ProbeResult.success("writer", 200, 1.0, NOW));
    board.apply(ProbeResult.failure("research", 503, 1.0, "HTTP 503", NOW));
    JsonObject unhealthy =
        selection(new FleetQuery(null, Set.of(HealthState.UNHEALTHY), null, null));
    assertThat(unhealthy.getJsonObject("services").fieldNames()).containsExactly("research");
    assertThat(unhealthy.getString("overall_health")).isEqualTo("degraded");
    assertThat(unhealthy.fieldNames()).containsExactly("timestamp", "services", "overall_health");

    JsonObject two =
        selection(
            new FleetQuery(null, Set.of(HealthState.UNKNOWN, HealthState.HEALTHY), null, null));
    assertThat(two.getJsonObject("services").fieldNames()).containsExactly("writer", "backend");

    JsonObject criticalUnknown =
        selection(new FleetQuery("critical", Set.of(HealthState.UNKNOWN), null, null));
    assertThat(criticalUnknown.getJsonObject("services").fieldNames()).containsExactly("backend");
    assertThat(criticalUnknown.getString("overall_health"))
        .isEqualTo(board.snapshotWithTag(NOW, "critical").getString("overall_health"));
  }

  @Test
  void pagesWalkTheFleetInNameOrderUntilTheNextCursorIsNull() {
    StatusBoard fleet =
        boardOf(
            service("delta"),
            service("alpha", "t"),
            service("echo", "t"),
            service("charlie"),
            service("bravo", "t"));
    fleet.apply(ProbeResult.failure("echo", 503, 1.0, "HTTP 503", NOW));
    List<String> seen = new java.util.ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      JsonObject page = selectionOf(fleet, new FleetQuery(null, Set.of(), 2, cursor));
      assertThat(page.fieldNames())
          .containsExactly("timestamp", "services", "overall_health", "next_cursor");
      assertThat(page.getString("overall_health")).isEqualTo("unhealthy");
      seen.addAll(page.getJsonObject("services").fieldNames());
      cursor = page.getString("next_cursor");
      pages++;
      if (cursor != null) {
        cursor =
            FleetQuery.fromParams(
                    io.vertx.core.MultiMap.caseInsensitiveMultiMap().add("cursor", cursor))
                .after();
      }
    } while (cursor != null && pages < 10);
    assertThat(seen).containsExactly("alpha", "bravo", "charlie", "delta", "echo");
    assertThat(pages).isEqualTo(3);

    JsonObject tagged = selectionOf(fleet, new FleetQuery("t", Set.of(), 2, "alpha"));
    assertThat(tagged.getJsonObject("services").fieldNames()).containsExactly("bravo", "echo");
    assertThat(tagged.getValue("next_cursor")).isNull();
    assertThat(tagged.containsKey("next_cursor")).isTrue();

    // A cursor after a name that has since gone still continues in name order.
    JsonObject afterGone = selectionOf(fleet, new FleetQuery(null, Set.of(), 1, "bz"));
    assertThat(afterGone.getJsonObject("services").fieldNames()).containsExactly("charlie");

    JsonObject unhealthyPage =
        selectionOf(fleet, new FleetQuery(null, Set.of(HealthState.UNHEALTHY), 1, null));
    assertThat(unhealthyPage.getJsonObject("services").fieldNames()).containsExactly("echo");
    assertThat(unhealthyPage.getValue("next_cursor")).isNull();
  }

  private JsonObject selection(FleetQuery query) {
    return selectionOf(board, query);
  }

  private static JsonObject selectionOf(StatusBoard fleet, FleetQuery query) {
    return new JsonObject(fleet.encodedSelection(NOW.toEpochMilli(), query).render(NOW));
  }

  @Test
  void anEncodedSnapshotIsServedForASecondAtMost() {
    EncodedSnapshot encoded = board.encodedSnapshot(NOW.toEpochMilli());
    assertThat(encoded.isFreshAt(NOW.toEpochMilli())).isTrue();
    assertThat(encoded.isFreshAt(NOW.toEpochMilli() + 1_000)).isTrue();
    assertThat(encoded.isFreshAt(NOW.toEpochMilli() + 1_001)).isFalse();
    // A clock that went back: rebuild rather than serve statistics from the future.
    assertThat(encoded.isFreshAt(NOW.toEpochMilli() - 1)).isFalse();
  }

  @Test
  void reportsHealthChangesOnlyWhenTheHealthChangesWithTheirReason() {
    assertThat(board.apply(ProbeResult.success("writer", 200, 1.0, NOW)))
        .contains(
            new HealthTransition(
                "writer", HealthState.UNKNOWN, HealthState.HEALTHY, "check succeeded", NOW));
    assertThat(board.apply(ProbeResult.success("writer", 200, 1.0, NOW))).isEmpty();
    Instant later = NOW.plusSeconds(1);
    assertThat(board.apply(ProbeResult.failure("writer", 503, 2.0, "HTTP 503", later)))
        .contains(
            new HealthTransition(
                "writer", HealthState.HEALTHY, HealthState.UNHEALTHY, "HTTP 503", later));
    assertThat(
            board.apply(
                new BreakerTransition(
                    "writer", CircuitState.CLOSED, CircuitState.OPEN, "after 5", later)))
        .contains(
            new HealthTransition(
                "writer",
                HealthState.UNHEALTHY,
                HealthState.CIRCUIT_OPEN,
                "circuit open after 5",
                later));
  }

  @Test
  void filtersByTagAndJudgesOnlyTheSelectedServices() {
    board.apply(ProbeResult.success("writer", 200, 1.0, NOW));
    board.apply(ProbeResult.success("backend", 200, 1.0, NOW));
    board.apply(ProbeResult.failure("research", 503, 1.0, "HTTP 503", NOW));
    JsonObject critical = board.snapshotWithTag(NOW, "critical");
    assertThat(critical.getJsonObject("services").fieldNames())
        .containsExactly("writer", "backend");
    assertThat(critical.getString("overall_health")).isEqualTo("healthy");
    assertThat(board.snapshot(NOW).getString("overall_health")).isEqualTo("degraded");
  }

  @Test
  void followsANewFleetKeepingTheStatisticsOfServicesThatStay() {
    board.apply(ProbeResult.success("writer", 200, 1.0, NOW));
    board.applyFleet(
        List.of(service("backend"), service("writer"), service("search")), Instant.EPOCH);
    JsonObject services = board.snapshot(NOW).getJsonObject("services");
    assertThat(services.fieldNames()).containsExactly("backend", "writer", "search");
    assertThat(services.getJsonObject("writer").getLong("total_checks")).isEqualTo(1);
    assertThat(services.getJsonObject("search").getString("health")).isEqualTo("unknown");
  }

  @Test
  void showsAConfigurationErrorOnlyWhileThereIsOne() {
    board.setConfigError("invalid configuration: services[1].name");
    assertThat(board.snapshot(NOW).getString("config_error"))
        .isEqualTo("invalid configuration: services[1].name");
    board.setConfigError(null);
    assertThat(board.snapshot(NOW).containsKey("config_error")).isFalse();
  }

  @Test
  void answersForOneServiceWithItsName() {
    assertThat(board.serviceSnapshot(NOW, "writer").orElseThrow().getString("name"))
        .isEqualTo("writer");
    assertThat(board.serviceSnapshot(NOW, "ghost")).isEmpty();
  }

  @Test
  void ignoresServicesItDoesNotKnow() {
    assertThat(board.apply(ProbeResult.success("ghost", 200, 1.0, NOW))).isEmpty();
    assertThat(
            board.apply(
                new BreakerTransition("ghost", CircuitState.CLOSED, CircuitState.OPEN, "x", NOW)))
        .isEmpty();
    assertThat(board.service("ghost")).isEmpty();
  }

  @Test
  void isDegradedWhenSomeButNotAllServicesAreHealthy() {
    board.apply(ProbeResult.success("writer", 200, 1.0, NOW));
    board.apply(ProbeResult.failure("research", 503, 1.0, "HTTP 503", NOW));
    assertThat(board.overallHealth()).isEqualTo(OverallHealth.DEGRADED);
    board.apply(ProbeResult.success("research", 200, 1.0, NOW));
    board.apply(ProbeResult.success("backend", 200, 1.0, NOW));
    assertThat(board.overallHealth()).isEqualTo(OverallHealth.HEALTHY);
  }
}
