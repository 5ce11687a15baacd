package io.extrophi.orchestrator.probe;

import io.extrophi.orchestrator.bus.BreakerTransition;
import io.extrophi.orchestrator.bus.EventBusAddresses;
import io.extrophi.orchestrator.bus.ProbeResult;
import io.extrophi.orchestrator.bus.ProbeResultBatch;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import java.util.ArrayList;
import java.util.List;

/**
 * Puts probe results and circuit transitions on the event bus, in the order they happened.
 *
 * <p>Results are gathered for up to {@link #FLUSH_DELAY_MS} and handed to the status verticle as
 * one {@link ProbeResultBatch}, then published one by one on {@link
 * EventBusAddresses#PROBE_RESULTS} for other subscribers (as JSON built only for a subscriber). The
 * status verticle runs on another event loop, and a message per probe would wake that loop (two or
 * three system calls) once per probe. A transition, and {@link #flush()} (before a trigger queries
 * the status), first sends what is pending, so nothing is ever seen out of order.
 *
 * <p>Not thread-safe: used from the event loop of the probe verticle.
 */
final class ResultPublisher {

  /**
   * Longest a result waits before it is sent on: what it adds to the time a change takes to show,
   * against one wake-up of the status verticle's event loop per batch instead of per result.
   */
  static final long FLUSH_DELAY_MS = 20;

  private final Vertx vertx;
  private final EventBus bus;
  private List<ProbeResult> pending = new ArrayList<>();
  private long flushTimer = -1;

  ResultPublisher(Vertx vertx) {
    this.vertx = vertx;
    this.bus = vertx.eventBus();
    ProbeResultBatch.registerCodec(bus);
    ProbeResult.registerCodec(bus);
  }

  /** Queues a result; it goes out within {@link #FLUSH_DELAY_MS}. */
  void publish(ProbeResult result) {
    pending.add(result);
    if (flushTimer == -1) {
      flushTimer = vertx.setTimer(FLUSH_DELAY_MS, id -> flush());
    }
  }

  /** Publishes a transition after the results that came before it. */
  void publish(BreakerTransition transition) {
    flush();
    bus.publish(EventBusAddresses.BREAKER_TRANSITIONS, transition.toJson());
  }

  /** Sends the pending results now. */
  void flush() {
    if (flushTimer != -1) {
      vertx.cancelTimer(flushTimer);
      flushTimer = -1;
    }
    if (pending.isEmpty()) {
      return;
    }
    List<ProbeResult> batch = pending;
    pending = new ArrayList<>();
    bus.publish(EventBusAddresses.PROBE_RESULT_BATCHES, new ProbeResultBatch(batch));
    for (ProbeResult result : batch) {
      bus.publish(EventBusAddresses.PROBE_RESULTS, result);
    }
  }
}
