package io.extrophi.orchestrator.status;

import io.extrophi.orchestrator.bus.StatusEventBatch;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which batches of events a cluster node's statistics hold, so that copying another node's state
 * and the replicated batches that keep arriving never count an event twice or lose one.
 *
 * <p>Every node numbers its batches 1, 2, 3, ...; the event bus delivers one node's batches in
 * order, but batches of different nodes in any order, so timestamps cannot tell what is new. This
 * log keeps, per node that probed, the number of the last batch applied (the <em>watermarks</em>).
 * A batch at or below its node's watermark is already in; one more than one above it means batches
 * were missed (published before that node knew this one listens), and the state must be copied
 * again from a node that has them. While a copy is under way, arriving batches are held back.
 *
 * <p>Not thread-safe: used from the status verticle's event loop.
 */
final class ReplicationLog {

  /** What to do with a replicated batch. */
  enum Admission {
    /** Apply it: it is the next one of its node. */
    APPLY,
    /** Drop it: the statistics hold it already. */
    SKIP,
    /** Held back until the copy under way is in. */
    HELD,
    /** Batches of its node are missing: held back; copy the state again. */
    GAP
  }

  /**
   * Own batches kept for replaying on top of a copy that does not hold them yet; while a copy is
   * under way, all of them since it began.
   */
  static final int OWN_BATCHES_KEPT = 512;

  private final String self;
  private final Map<String, Long> watermarks = new HashMap<>();
  private final Deque<StatusEventBatch> ownRecent = new ArrayDeque<>();
  private List<StatusEventBatch.Replicated> heldBack;

  ReplicationLog(String self) {
    this.self = self;
  }

  /** Notes a batch of this node's own, applied from the probe side. */
  void recordOwn(StatusEventBatch batch) {
    watermarks.put(self, batch.sequence());
    ownRecent.addLast(batch);
    while (heldBack == null && ownRecent.size() > OWN_BATCHES_KEPT) {
      ownRecent.removeFirst();
    }
  }

  /** Decides about a batch another node replicated; an applied one moves the watermark. */
  Admission admit(StatusEventBatch.Replicated replicated) {
    return admit(replicated, false);
  }

  /**
   * Like {@link #admit(StatusEventBatch.Replicated)}, for a batch held back during a copy: a gap
   * that the copy did not fill cannot be filled, so the batch is applied all the same (nothing can
   * be held back here: the copy is over).
   *
   * @return {@link Admission#APPLY} or {@link Admission#SKIP}
   */
  Admission admitAfterCopy(StatusEventBatch.Replicated replicated) {
    return admit(replicated, true);
  }

  private Admission admit(StatusEventBatch.Replicated replicated, boolean acceptGap) {
    if (heldBack != null) {
      heldBack.add(replicated);
      return Admission.HELD;
    }
    long sequence = replicated.batch().sequence();
    long last = watermarks.getOrDefault(replicated.node(), 0L);
    if (sequence <= last) {
      return Admission.SKIP;
    }
    if (sequence > last + 1 && !acceptGap) {
      holdBack();
      heldBack.add(replicated);
      return Admission.GAP;
    }
    watermarks.put(replicated.node(), sequence);
    return Admission.APPLY;
  }

  /** From now on, replicated batches are held back (a copy is under way). */
  void holdBack() {
    if (heldBack == null) {
      heldBack = new ArrayList<>();
    }
  }

  boolean isHoldingBack() {
    return heldBack != null;
  }

  /** The batches held back, in arrival order; arriving batches are admitted again. */
  List<StatusEventBatch.Replicated> release() {
    List<StatusEventBatch.Replicated> released = heldBack == null ? List.of() : heldBack;
    heldBack = null;
    return released;
  }

  /** Whether every node's watermark is at or past its number in {@code sequences}. */
  boolean hasPassed(Map<String, Long> sequences) {
    for (Map.Entry<String, Long> entry : sequences.entrySet()) {
      if (watermarks.getOrDefault(entry.getKey(), 0L) < entry.getValue()) {
        return false;
      }
    }
    return true;
  }

  /** The watermarks, as the header of a state copy. */
  JsonObject watermarks() {
    JsonObject json = new JsonObject();
    watermarks.forEach(json::put);
    return json;
  }

  /**
   * Takes the watermarks of a copied state, which replaced the statistics.
   *
   * @return this node's own batches the copy does not hold, to apply on top of it, oldest first
   */
  List<StatusEventBatch> adopt(JsonObject copied) {
    long ownInCopy = copied.getLong(self, 0L);
    long ownLatest = watermarks.getOrDefault(self, 0L);
    watermarks.clear();
    copied.forEach(
        entry -> watermarks.put(entry.getKey(), ((Number) entry.getValue()).longValue()));
    List<StatusEventBatch> replay = new ArrayList<>();
    for (StatusEventBatch own : ownRecent) {
      if (own.sequence() > ownInCopy) {
        replay.add(own);
      }
    }
    if (ownLatest > 0) {
      watermarks.put(self, ownLatest);
    }
    return replay;
  }
}
