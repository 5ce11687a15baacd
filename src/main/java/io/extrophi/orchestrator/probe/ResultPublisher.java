package io.extrophi.orchestrator.probe;

import io.extrophi.orchestrator.bus.BreakerTransition;
import io.extrophi.orchestrator.bus.EventBusAddresses;
import io.extrophi.orchestrator.bus.MessageSchema;
import io.extrophi.orchestrator.bus.ProbeResult;
import io.extrophi.orchestrator.bus.ReplicatedBatchCodec;
import io.extrophi.orchestrator.bus.StatusEvent;
import io.extrophi.orchestrator.bus.StatusEventBatch;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import java.util.ArrayList;
import java.util.List;

/**
 * Puts probe results and circuit transitions on the event bus, in the order they happened.
 *
 * <p>Results are gathered for up to {@link #FLUSH_DELAY_MS} and handed to the status verticle as
 * one {@link StatusEventBatch}, then published one by one on {@link
 * EventBusAddresses#PROBE_RESULTS} and {@link EventBusAddresses#BREAKER_TRANSITIONS} for other
 * subscribers. The status verticle runs on another event loop, and a message per probe would wake
 * that loop (two or three system calls) once per probe. A transition, and {@link #flush()} (before
 * a trigger queries the status), first sends what is pending, so nothing is ever seen out of order.
 *
 * <p>In a cluster, every batch also goes to the other nodes on {@link
 * EventBusAddresses#CLUSTER_EVENTS} (in the binary form of {@link ReplicatedBatchCodec}), and
 * results are published as plain JSON, which a subscriber in another process can read without this
 * project's codecs. In a single process a result is published as the record, turned into JSON only
 * if somebody subscribed.
 *
 * <p>Not thread-safe: used from the event loop of the probe verticle.
 */
final class ResultPublisher {

  /**
   * Longest a result waits before it is sent on: what it adds to the time a change takes to show,
   * against one wake-up of the status verticle's event loop per batch instead of per result.
   */
  static final long FLUSH_DELAY_MS = 20;

  private static final DeliveryOptions LOCAL = MessageSchema.localDelivery();

  private final Vertx vertx;
  private final EventBus bus;
  private final String clusterNodeId;
  private List<StatusEvent> pending = new ArrayList<>();
  private long flushTimer = -1;
  private long sequence;

  /**
   * @param clusterNodeId this node's id in a cluster, {@code null} in a single process
   */
  ResultPublisher(Vertx vertx, String clusterNodeId) {
    this.vertx = vertx;
    this.bus = vertx.eventBus();
    this.clusterNodeId = clusterNodeId;
    StatusEventBatch.registerCodec(bus);
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
    pending.add(transition);
    flush();
  }

  /** Sends the pending events now. */
  void flush() {
    if (flushTimer != -1) {
      vertx.cancelTimer(flushTimer);
      flushTimer = -1;
    }
    if (pending.isEmpty()) {
      return;
    }
    StatusEventBatch batch =
        clusterNodeId == null
            ? new StatusEventBatch(pending)
            : new StatusEventBatch(pending, ++sequence);
    pending = new ArrayList<>();
    bus.publish(EventBusAddresses.STATUS_EVENT_BATCHES, batch, LOCAL);
    if (clusterNodeId != null) {
      bus.publish(
          EventBusAddresses.CLUSTER_EVENTS, ReplicatedBatchCodec.encode(clusterNodeId, batch));
    }
    for (StatusEvent event : batch.events()) {
      if (event instanceof ProbeResult result) {
        bus.publish(
            EventBusAddresses.PROBE_RESULTS, clusterNodeId == null ? result : result.toEventJson());
      } else if (event instanceof BreakerTransition transition) {
        bus.publish(EventBusAddresses.BREAKER_TRANSITIONS, transition.toJson());
      }
    }
  }
}
