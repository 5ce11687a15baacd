package io.extrophi.orchestrator.status;

import static io.extrophi.orchestrator.status.ReplicationLog.Admission.APPLY;
import static io.extrophi.orchestrator.status.ReplicationLog.Admission.GAP;
import static io.extrophi.orchestrator.status.ReplicationLog.Admission.HELD;
import static io.extrophi.orchestrator.status.ReplicationLog.Admission.SKIP;
import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.bus.ProbeResult;
import io.extrophi.orchestrator.bus.StatusEventBatch;
import io.extrophi.orchestrator.testing.UnitTest;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

@UnitTest
class ReplicationLogTest {

  private final ReplicationLog log = new ReplicationLog("me");

  @Test
  void appliesEachNodesBatchesOnceInOrder() {
    assertThat(
            Stream.of(batch("a", 1), batch("b", 1), batch("a", 2), batch("a", 2), batch("a", 1))
                .map(log::admit))
        .containsExactly(APPLY, APPLY, APPLY, SKIP, SKIP);
    assertThat(log.watermarks()).isEqualTo(new JsonObject().put("a", 2).put("b", 1));
  }

  @Test
  void aMissingBatchHoldsBackUntilACopyIsIn() {
    log.admit(batch("a", 1));
    assertThat(log.admit(batch("a", 3))).isEqualTo(GAP);
    assertThat(log.isHoldingBack()).isTrue();
    assertThat(log.admit(batch("a", 4))).isEqualTo(HELD);
    // The copy holds a's batches up to 3.
    log.adopt(new JsonObject().put("a", 3));
    List<StatusEventBatch.Replicated> released = log.release();
    assertThat(released).extracting(r -> r.batch().sequence()).containsExactly(3L, 4L);
    assertThat(log.admit(released.get(0))).isEqualTo(SKIP);
    assertThat(log.admit(released.get(1))).isEqualTo(APPLY);
  }

  @Test
  void aGapTheCopyCouldNotFillIsAcceptedAfterIt() {
    assertThat(log.admit(batch("a", 5))).isEqualTo(GAP);
    log.adopt(new JsonObject()); // the copy failed or did not know a
    StatusEventBatch.Replicated held = log.release().get(0);
    assertThat(log.admitAfterCopy(held)).isEqualTo(APPLY);
    assertThat(log.admit(batch("a", 6))).isEqualTo(APPLY);
  }

  @Test
  void ownBatchesTheCopyDoesNotHoldAreReplayedOnTopOfIt() {
    for (int i = 1; i <= 5; i++) {
      log.recordOwn(new StatusEventBatch(List.of(result()), i));
    }
    List<StatusEventBatch> replay = log.adopt(new JsonObject().put("me", 3).put("a", 7));
    assertThat(replay).extracting(StatusEventBatch::sequence).containsExactly(4L, 5L);
    assertThat(log.watermarks()).isEqualTo(new JsonObject().put("me", 5).put("a", 7));
  }

  @Test
  void keepsABoundedNumberOfOwnBatches() {
    for (int i = 1; i <= ReplicationLog.OWN_BATCHES_KEPT + 10; i++) {
      log.recordOwn(new StatusEventBatch(List.of(result()), i));
    }
    assertThat(log.adopt(new JsonObject())).hasSize(ReplicationLog.OWN_BATCHES_KEPT);
  }

  @Test
  void ownBatchesAreAllKeptWhileACopyIsUnderWay() {
    log.holdBack();
    int many = ReplicationLog.OWN_BATCHES_KEPT * 2;
    for (int i = 1; i <= many; i++) {
      log.recordOwn(new StatusEventBatch(List.of(result()), i));
    }
    assertThat(log.adopt(new JsonObject().put("me", 1))).hasSize(many - 1);
  }

  @Test
  void passesTheWatermarksOfACopyOnlyWhenEveryNodesAreReached() {
    log.admit(batch("a", 1));
    log.admit(batch("a", 2));
    assertThat(log.hasPassed(java.util.Map.of("a", 2L))).isTrue();
    assertThat(log.hasPassed(java.util.Map.of("a", 2L, "b", 1L))).isFalse();
    assertThat(log.hasPassed(java.util.Map.of("a", 3L))).isFalse();
  }

  private static StatusEventBatch.Replicated batch(String node, long sequence) {
    return new StatusEventBatch.Replicated(node, new StatusEventBatch(List.of(result()), sequence));
  }

  private static ProbeResult result() {
    return ProbeResult.success("s0", 200, 1.0, Instant.parse("2026-11-30T12:00:00Z"));
  }
}
