package io.extrophi.orchestrator.metrics;

import io.extrophi.orchestrator.bus.EventBusAddresses;
import io.extrophi.orchestrator.bus.MessageSchema;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The probes' wait for a connection in {@code /metrics}: total time and count (a rate of their
 * ratio is the mean wait), the waits the deadline cut short, and the recent p99. Read from the
 * probe verticle's schedule report ({@link EventBusAddresses#SCHEDULE_QUERY}), refreshed every few
 * seconds: the probe verticle owns the numbers, and a scrape must not wait for an event bus reply.
 */
final class ConnectionWaitMeters {

  private static final long REFRESH_MS = 5_000;

  private final Vertx vertx;
  private final List<Meter> meters;
  private volatile JsonObject latest = new JsonObject();
  private long timer = -1;

  ConnectionWaitMeters(Vertx vertx, MeterRegistry registry) {
    this.vertx = vertx;
    this.meters =
        List.of(
            FunctionCounter.builder(
                    "orchestrator.probe.connection.wait",
                    this,
                    m -> m.latest.getDouble("total_ms", 0.0) / 1_000)
                .baseUnit("seconds")
                .description("Time probes spent waiting for a connection, connecting included")
                .register(registry),
            FunctionCounter.builder(
                    "orchestrator.probe.connection.waits", this, m -> m.latest.getLong("count", 0L))
                .description("Probes that waited for a connection (every probe sent)")
                .register(registry),
            FunctionCounter.builder(
                    "orchestrator.probe.connection.wait.timeouts",
                    this,
                    m -> m.latest.getLong("timed_out", 0L))
                .description("Probes whose deadline passed while they waited for a connection")
                .register(registry),
            Gauge.builder(
                    "orchestrator.probe.connection.wait.p99",
                    this,
                    m ->
                        m.latest.getJsonObject("recent", new JsonObject()).getDouble("p99_ms", 0.0)
                            / 1_000)
                .baseUnit("seconds")
                .description("99th percentile of the connection wait over the last 25-30 s")
                .register(registry));
  }

  void start() {
    refresh();
    timer = vertx.setPeriodic(REFRESH_MS, id -> refresh());
  }

  void stop(MeterRegistry registry) {
    vertx.cancelTimer(timer);
    meters.forEach(registry::remove);
  }

  private void refresh() {
    vertx
        .eventBus()
        .<JsonObject>request(
            EventBusAddresses.SCHEDULE_QUERY, new JsonObject(), MessageSchema.localDelivery())
        .map(Message::body)
        .onSuccess(
            schedule -> {
              JsonObject waits = schedule.getJsonObject("connection_wait");
              if (waits != null) {
                latest = waits;
              }
            });
  }
}
