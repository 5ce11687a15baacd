package io.extrophi.orchestrator.alert;

import io.extrophi.orchestrator.config.AlertSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alerts for one receiver, delivered one at a time in the order they came, so a receiver hears
 * {@code unhealthy} before the {@code healthy} that followed it.
 *
 * <p>The alert being delivered is retried with exponential backoff until it is answered with a 2xx,
 * refused, or out of attempts; only then does the next one go. Up to {@code ALERT_QUEUE_SIZE}
 * alerts wait behind it; one more drops the oldest waiting one, so a receiver that is down for long
 * gets the alert it missed first and the latest ones. Nothing here blocks: waits are Vert.x timers,
 * and every method runs on the owning verticle's event loop.
 */
final class DeliveryQueue {

  /** Sends one attempt; the future never fails. */
  @FunctionalInterface
  interface Attempts {
    Future<AttemptOutcome> send(Receiver receiver, Alert alert, int attempt, Duration timeout);
  }

  private static final Logger LOG = LoggerFactory.getLogger(DeliveryQueue.class);

  private static final long NO_TIMER = -1;

  private final Vertx vertx;
  private final Receiver receiver;
  private final Attempts attempts;
  private final AlertStats stats;
  private final Deque<Alert> waiting = new ArrayDeque<>();
  private AlertSettings settings;

  /** The alert being delivered, or {@code null}. */
  private Alert current;

  private int attemptsMade;
  private boolean attemptInFlight;
  private long retryTimer = NO_TIMER;
  private boolean closed;

  DeliveryQueue(
      Vertx vertx, Receiver receiver, Attempts attempts, AlertSettings settings, AlertStats stats) {
    this.vertx = vertx;
    this.receiver = receiver;
    this.attempts = attempts;
    this.settings = settings;
    this.stats = stats;
  }

  /** Queues an alert, dropping the oldest waiting one if the queue is full. */
  void offer(Alert alert) {
    if (closed) {
      return;
    }
    stats.countQueued();
    if (waiting.size() >= settings.queueSize()) {
      Alert oldest = waiting.removeFirst();
      stats.countDropped(1);
      LOG.warn(
          "alert queue of {} is full ({} waiting): dropped the oldest waiting alert {}",
          receiver,
          waiting.size() + 1,
          oldest.describe());
    }
    waiting.addLast(alert);
    deliverNext();
  }

  /**
   * Follows new delivery settings: the next attempt uses them, and a smaller queue drops its oldest
   * waiting alerts at once.
   */
  void update(AlertSettings newSettings) {
    settings = newSettings;
    int excess = waiting.size() - settings.queueSize();
    if (excess > 0) {
      for (int i = 0; i < excess; i++) {
        waiting.removeFirst();
      }
      stats.countDropped(excess);
      LOG.warn(
          "alert queue of {} shrank to {}: dropped the {} oldest waiting alerts",
          receiver,
          settings.queueSize(),
          excess);
    }
  }

  /**
   * Stops delivering: the waiting alerts are dropped, and so is the alert being delivered unless an
   * attempt of it is in flight, whose answer then decides whether it counts as sent or dropped.
   */
  void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (retryTimer != NO_TIMER) {
      vertx.cancelTimer(retryTimer);
      retryTimer = NO_TIMER;
    }
    int undelivered = waiting.size();
    waiting.clear();
    if (current != null && !attemptInFlight) {
      current = null;
      undelivered++;
    }
    if (undelivered > 0) {
      stats.countDropped(undelivered);
      LOG.warn("alerts to {} stopped: dropped {} undelivered alerts", receiver, undelivered);
    }
  }

  /** Alerts waiting or in delivery. */
  int size() {
    return waiting.size() + (current == null ? 0 : 1);
  }

  private void deliverNext() {
    if (current != null || closed || waiting.isEmpty()) {
      return;
    }
    current = waiting.removeFirst();
    attemptsMade = 0;
    attempt();
  }

  private void attempt() {
    Alert alert = current;
    attemptsMade++;
    attemptInFlight = true;
    attempts
        .send(receiver, alert, attemptsMade, settings.attemptTimeout())
        .otherwise(AttemptOutcome::ofFailure)
        .onSuccess(outcome -> onOutcome(alert, outcome));
  }

  private void onOutcome(Alert alert, AttemptOutcome outcome) {
    attemptInFlight = false;
    if (closed) {
      current = null;
      if (outcome.kind() == AttemptOutcome.Kind.DELIVERED) {
        stats.countSent();
      } else {
        stats.countDropped(1);
      }
      return;
    }
    switch (outcome.kind()) {
      case DELIVERED -> {
        stats.countSent();
        LOG.debug("alert {} delivered to {}", alert.describe(), receiver);
        finishCurrent();
      }
      case REJECTED -> {
        stats.countFailed();
        LOG.warn(
            "alert {} refused by {} with {}; not retried",
            alert.describe(),
            receiver,
            outcome.description());
        finishCurrent();
      }
      case RETRY -> retryOrGiveUp(alert, outcome);
    }
  }

  private void retryOrGiveUp(Alert alert, AttemptOutcome outcome) {
    if (attemptsMade >= settings.maxAttempts()) {
      stats.countFailed();
      LOG.warn(
          "giving up on alert {} to {} after {} attempts; the last failed with {}",
          alert.describe(),
          receiver,
          attemptsMade,
          outcome.description());
      finishCurrent();
      return;
    }
    Duration wait =
        new Backoff(settings.retryInitial(), settings.retryMax())
            .beforeRetry(attemptsMade, outcome.retryAfter());
    stats.countRetried();
    LOG.info(
        "alert {} to {} failed with {} (attempt {} of {}); retrying in {} ms",
        alert.describe(),
        receiver,
        outcome.description(),
        attemptsMade,
        settings.maxAttempts(),
        wait.toMillis());
    retryTimer =
        vertx.setTimer(
            Math.max(1, wait.toMillis()),
            fired -> {
              retryTimer = NO_TIMER;
              attempt();
            });
  }

  private void finishCurrent() {
    current = null;
    deliverNext();
  }
}
