package io.extrophi.orchestrator.probe;

import io.vertx.core.Vertx;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * The slots of every service on one timer. Each service has a slot every interval; the schedule
 * keeps one Vert.x timer armed for the earliest slot and, when it fires, runs every slot that is
 * due by then.
 *
 * <p><b>Why one timer.</b> With a periodic timer per service, a fleet spread over its interval
 * wakes the event loop once per probe, and every wake-up is a system call or two; on these machines
 * (virtualised, 2 cores) system calls cost more CPU than the probe's own Java code. Here the timer
 * is re-armed at least {@link #COALESCE_MS} after it last fired, so slots due within that window go
 * out together (at most {@link #COALESCE_MS} late), the fleet's requests are written in one pass
 * and their responses tend to be read in one {@code epoll_wait}.
 *
 * <p><b>Falling behind.</b> A slot that could not run before the next one of the same service was
 * due (the event loop was blocked for longer than an interval) is counted as missed, not run late.
 *
 * <p>Not thread-safe: used from the event loop of the probe verticle.
 */
final class ProbeSchedule {

  /**
   * Shortest gap between two firings of the timer, so slots this close go out together. Measured at
   * 1,000 probes/s: 10 ms cost 80-120 µs of CPU per probe, 25 ms 55-70 µs, for a schedule lag of at
   * most 25 ms (p99 25 ms), well within what "on time" needs for intervals of a second or more.
   */
  static final long COALESCE_MS = 25;

  /** One service's place in the schedule; {@link #cancel} it to stop its slots. */
  static final class Entry {
    private final long intervalMs;
    private final LongConsumer onSlot;
    private long dueMillis;
    private boolean cancelled;

    private Entry(long firstDueMillis, long intervalMs, LongConsumer onSlot) {
      this.dueMillis = firstDueMillis;
      this.intervalMs = intervalMs;
      this.onSlot = onSlot;
    }

    /** Stops this entry's slots; it leaves the queue when its next slot comes up. */
    void cancel() {
      cancelled = true;
    }
  }

  private final Vertx vertx;
  private final LongSupplier clockMillis;
  private final PriorityQueue<Entry> queue =
      new PriorityQueue<>(Comparator.comparingLong(entry -> entry.dueMillis));
  private long timerId = -1;
  private long timerDueMillis = Long.MAX_VALUE;
  private long lastFiredMillis = Long.MIN_VALUE;
  private long missedSlots;
  private boolean closed;

  /**
   * @param clockMillis the time slots are measured in, in epoch milliseconds
   */
  ProbeSchedule(Vertx vertx, LongSupplier clockMillis) {
    this.vertx = vertx;
    this.clockMillis = clockMillis;
  }

  /**
   * Adds a service whose first slot is at {@code firstDueMillis} and then one every {@code
   * intervalMs}; {@code onSlot} receives the time each slot stood for when it runs.
   */
  Entry add(long firstDueMillis, long intervalMs, LongConsumer onSlot) {
    if (intervalMs <= 0) {
      throw new IllegalArgumentException("interval must be positive: " + intervalMs);
    }
    Entry entry = new Entry(firstDueMillis, intervalMs, onSlot);
    queue.add(entry);
    arm();
    return entry;
  }

  /** Slots that were skipped because the schedule fell more than an interval behind. */
  long missedSlots() {
    return missedSlots;
  }

  /** Services in the schedule, cancelled ones that have not come up yet included. */
  int size() {
    return queue.size();
  }

  /** Stops every slot. */
  void close() {
    closed = true;
    queue.clear();
    cancelTimer();
  }

  private void fire() {
    timerId = -1;
    timerDueMillis = Long.MAX_VALUE;
    long now = clockMillis.getAsLong();
    lastFiredMillis = now;
    while (!queue.isEmpty() && queue.peek().dueMillis <= now) {
      Entry entry = queue.poll();
      if (entry.cancelled) {
        continue;
      }
      long due = entry.dueMillis;
      long next = due + entry.intervalMs;
      if (next <= now) {
        long skipped = (now - next) / entry.intervalMs + 1;
        missedSlots += skipped;
        due += skipped * entry.intervalMs;
        next = due + entry.intervalMs;
      }
      entry.dueMillis = next;
      queue.add(entry);
      entry.onSlot.accept(due);
      if (closed) {
        return;
      }
    }
    arm();
  }

  /**
   * Keeps the timer set for the earliest slot, no sooner than {@link #COALESCE_MS} after the last.
   */
  private void arm() {
    if (closed || queue.isEmpty()) {
      return;
    }
    long wanted = Math.max(queue.peek().dueMillis, saturatedAdd(lastFiredMillis, COALESCE_MS));
    if (timerId != -1 && timerDueMillis <= wanted) {
      return;
    }
    cancelTimer();
    long delay = Math.max(1, wanted - clockMillis.getAsLong());
    timerDueMillis = wanted;
    timerId = vertx.setTimer(delay, id -> fire());
  }

  private void cancelTimer() {
    if (timerId != -1) {
      vertx.cancelTimer(timerId);
      timerId = -1;
      timerDueMillis = Long.MAX_VALUE;
    }
  }

  private static long saturatedAdd(long a, long b) {
    long sum = a + b;
    return a > 0 && sum < 0 ? Long.MAX_VALUE : (a < 0 && sum > 0 ? Long.MIN_VALUE : sum);
  }

  /**
   * The first slot of a service whose first check completed at {@code checkedAtMillis}: at least
   * half an interval later, so the two do not run back to back, and at the service's own phase
   * within its interval. The phase is derived from the name and counted from the epoch, so a fleet
   * is spread evenly over the interval, and a service keeps its slots across restarts.
   */
  static long firstSlotAfter(String name, long intervalMs, long checkedAtMillis) {
    return nextSlotAfter(name, intervalMs, checkedAtMillis + intervalMs / 2);
  }

  /**
   * The first of the service's slots at or after {@code notBefore}. Slots depend only on the name,
   * the interval and the epoch, so every node of a cluster agrees on them.
   */
  static long nextSlotAfter(String name, long intervalMs, long notBefore) {
    long phase = Math.floorMod(name.hashCode() * 2_654_435_761L, intervalMs);
    return notBefore + Math.floorMod(phase - notBefore, intervalMs);
  }
}
