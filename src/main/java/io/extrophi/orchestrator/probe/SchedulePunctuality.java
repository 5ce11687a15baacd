package io.extrophi.orchestrator.probe;

import io.extrophi.orchestrator.bus.EventBusAddresses;
import io.extrophi.orchestrator.bus.MessageSchema;
import io.extrophi.orchestrator.stats.LatencyWindow;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;

/**
 * How punctual the probe schedule is, for {@link EventBusAddresses#SCHEDULE_QUERY}: the lag of
 * scheduled probes against their slots, the slots skipped, the in-flight cap's occupancy and the
 * connection waits.
 */
final class SchedulePunctuality {

  /** Schedule lag is reported over the last 25 to 30 seconds. */
  private static final Duration LAG_WINDOW = Duration.ofSeconds(30);

  private static final int LAG_WINDOW_SLICES = 6;

  private final Clock clock;
  private final ProbeSchedule schedule;
  private final ProbeLimiter limiter;
  private final ProbeClients clients;
  private final LatencyWindow scheduleLag =
      new LatencyWindow(LAG_WINDOW.toMillis(), LAG_WINDOW_SLICES);

  /** Slots skipped because the previous probe of the service was still running. */
  private long skippedSlots;

  SchedulePunctuality(
      Clock clock, ProbeSchedule schedule, ProbeLimiter limiter, ProbeClients clients) {
    this.clock = clock;
    this.schedule = schedule;
    this.limiter = limiter;
    this.clients = clients;
  }

  /** A slot found the previous probe of its service still running. */
  void slotSkipped() {
    skippedSlots++;
  }

  /** A scheduled probe went out, for the slot due at {@code dueMillis}. */
  void probeSent(long dueMillis) {
    long now = clock.millis();
    scheduleLag.record(Math.max(0, now - dueMillis), now);
  }

  /**
   * How punctual the schedule is: how late scheduled probes went out against their slots over the
   * last half minute, slots skipped because the previous probe was still running, the in-flight
   * cap's occupancy, and how long probes waited for their connections.
   */
  void answer(Message<JsonObject> request) {
    request.reply(
        new JsonObject()
            .put(MessageSchema.FIELD, MessageSchema.VERSION)
            .put("lag", scheduleLag.percentiles(clock.millis()).toJson())
            .put("missed_slots", skippedSlots + schedule.missedSlots())
            .put("in_flight", limiter.inFlight())
            .put("waiting", limiter.waiting())
            .put("connection_wait", clients.waits().toJson(clock.millis())));
  }
}
