package io.extrophi.orchestrator.alert;

import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters of alert delivery since start, summed over every receiver; safe to read from any thread
 * (for a metrics exporter). Each alert queued for a receiver ends exactly once as sent, failed or
 * dropped, so {@code queued - sent - failed - dropped} alerts are waiting or in delivery.
 */
public final class AlertStats {

  private final AtomicLong queued = new AtomicLong();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong retried = new AtomicLong();

  /** Alerts accepted for delivery, one per transition and receiver. */
  public long queued() {
    return queued.get();
  }

  /** Alerts a receiver answered with a 2xx. */
  public long sent() {
    return sent.get();
  }

  /** Alerts given up on: refused (4xx) or still failing after the last attempt. */
  public long failed() {
    return failed.get();
  }

  /**
   * Alerts discarded undelivered: the oldest waiting one of a full queue, and those waiting for a
   * receiver that a reload removed or when the orchestrator stopped.
   */
  public long dropped() {
    return dropped.get();
  }

  /** Retries scheduled (attempts after the first). */
  public long retried() {
    return retried.get();
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("queued", queued())
        .put("sent", sent())
        .put("failed", failed())
        .put("dropped", dropped())
        .put("retried", retried());
  }

  @Override
  public String toString() {
    return "AlertStats" + toJson().encode();
  }

  void countQueued() {
    queued.incrementAndGet();
  }

  void countSent() {
    sent.incrementAndGet();
  }

  void countFailed() {
    failed.incrementAndGet();
  }

  void countDropped(int count) {
    dropped.addAndGet(count);
  }

  void countRetried() {
    retried.incrementAndGet();
  }
}
