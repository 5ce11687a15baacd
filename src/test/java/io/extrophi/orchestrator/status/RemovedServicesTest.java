package io.extrophi.orchestrator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.bus.BreakerTransition;
import io.extrophi.orchestrator.bus.CircuitState;
import io.extrophi.orchestrator.bus.HealthState;
import io.extrophi.orchestrator.bus.ProbeResult;
import io.extrophi.orchestrator.config.ServiceDefinition;
import io.extrophi.orchestrator.testing.UnitTest;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** A service removed by a reload and added again continues its statistics, also after a restart. */
@UnitTest
class RemovedServicesTest {

  private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
  private static final ServiceDefinition WRITER = service("writer");
  private static final ServiceDefinition BACKEND = service("backend");

  private static ServiceDefinition service(String name) {
    return ServiceDefinition.builder(name, "http://localhost/health")
        .interval(Duration.ofSeconds(30))
        .timeout(Duration.ofSeconds(5))
        .build();
  }

  private static StatusBoard boardWithChecks(int checks) {
    StatusBoard board = new StatusBoard(List.of(WRITER, BACKEND), 10);
    for (int i = 0; i < checks; i++) {
      board.apply(ProbeResult.success("backend", 200, 1.0, NOW.minusSeconds(checks - i)));
    }
    return board;
  }

  private static long checks(StatusBoard board, String name) {
    return board.service(name).orElseThrow().totalChecks();
  }

  @Test
  void aServiceAddedAgainWithinTheRetentionContinuesItsCounts() {
    StatusBoard board = boardWithChecks(7);
    board.applyFleet(List.of(WRITER), NOW);
    assertThat(board.service("backend")).isEmpty();
    board.applyFleet(List.of(WRITER, BACKEND), NOW.plus(Duration.ofMinutes(59)));
    assertThat(checks(board, "backend")).isEqualTo(7);
    assertThat(board.removedServices().size()).isZero();
  }

  @Test
  void aServiceAddedAgainAfterTheRetentionStartsAfresh() {
    StatusBoard board = boardWithChecks(7);
    board.applyFleet(List.of(WRITER), NOW);
    board.applyFleet(List.of(WRITER, BACKEND), NOW.plus(RemovedServices.RETENTION).plusSeconds(1));
    assertThat(checks(board, "backend")).isZero();
  }

  @Test
  void aRemovedServiceComesBackWithAClosedCircuitLikeAChangedCheck() {
    StatusBoard board = boardWithChecks(3);
    board.apply(
        new BreakerTransition("backend", CircuitState.CLOSED, CircuitState.OPEN, "test", NOW));
    board.applyFleet(List.of(WRITER), NOW.plusSeconds(60));
    board.applyFleet(List.of(WRITER, BACKEND), NOW.plusSeconds(120));
    ServiceStatus backend = board.service("backend").orElseThrow();
    assertThat(backend.circuitState()).isEqualTo(CircuitState.CLOSED);
    assertThat(backend.health()).isEqualTo(HealthState.HEALTHY);
    assertThat(backend.totalChecks()).isEqualTo(3);
  }

  @Test
  void onlyTheMostRecentlyRemovedAreKeptBeyondTheCap() {
    RemovedServices removed = new RemovedServices();
    for (int i = 0; i <= RemovedServices.MAX_RETAINED; i++) {
      removed.retain(new ServiceStatus("s" + i, 10), NOW.plusMillis(i));
    }
    assertThat(removed.size()).isEqualTo(RemovedServices.MAX_RETAINED);
    assertThat(removed.contains("s0")).isFalse();
    assertThat(removed.contains("s" + RemovedServices.MAX_RETAINED)).isTrue();
  }

  @Test
  void removedServicesSurviveTheStateFile() {
    StatusBoard before = boardWithChecks(5);
    before.applyFleet(List.of(WRITER), NOW);
    Buffer payload = written(before);

    StatusStateCodec.Saved saved = StatusStateCodec.decodeSaved(payload, 10, NOW.plusSeconds(30));
    assertThat(saved.services()).containsOnlyKeys("writer");
    StatusBoard after = new StatusBoard(List.of(WRITER), 10);
    after.restore(saved, NOW.plusSeconds(30));
    after.applyFleet(List.of(WRITER, BACKEND), NOW.plusSeconds(60));
    assertThat(checks(after, "backend")).isEqualTo(5);
  }

  @Test
  void aSavedServiceNotConfiguredAtStartIsKeptForLater() {
    StatusBoard before = boardWithChecks(4);
    StatusStateCodec.Saved saved =
        StatusStateCodec.decodeSaved(written(before), 10, NOW.plusSeconds(30));
    StatusBoard after = new StatusBoard(List.of(WRITER), 10);
    after.restore(saved, NOW.plusSeconds(30));
    assertThat(after.removedServices().contains("backend")).isTrue();
    after.applyFleet(List.of(WRITER, BACKEND), NOW.plusSeconds(60));
    assertThat(checks(after, "backend")).isEqualTo(4);
  }

  @Test
  void withoutRemovedServicesTheStateIsWhatItWasBefore() {
    StatusBoard board = boardWithChecks(2);
    assertThat(written(board).getBytes())
        .isEqualTo(StatusStateCodec.encode(board.services()).getBytes());
  }

  private static Buffer written(StatusBoard board) {
    List<ServiceStatus> services = new ArrayList<>();
    board.services().forEach(services::add);
    Supplier<Buffer> chunks =
        StatusStateCodec.chunks(services, 1, board.removedServices().section());
    Buffer payload = Buffer.buffer();
    for (Buffer chunk = chunks.get(); chunk != null; chunk = chunks.get()) {
      payload.appendBuffer(chunk);
    }
    return payload;
  }
}
