package io.extrophi.orchestrator.metrics;

import io.extrophi.orchestrator.alert.AlertStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.ToDoubleFunction;

/**
 * The alert webhooks' counters in {@code /metrics}: {@code orchestrator_alerts_total{outcome}}
 * (sent, failed, dropped), {@code orchestrator_alerts_queued_total}, {@code
 * orchestrator_alert_retries_total} and {@code orchestrator_alerts_pending}, read from {@link
 * AlertStats} at each scrape.
 */
public final class AlertMeters {

  private AlertMeters() {}

  public static void bind(AlertStats stats, MeterRegistry registry) {
    outcome(stats, registry, "sent", AlertStats::sent);
    outcome(stats, registry, "failed", AlertStats::failed);
    outcome(stats, registry, "dropped", AlertStats::dropped);
    FunctionCounter.builder("orchestrator.alerts.queued", stats, AlertStats::queued)
        .description("Alerts accepted for delivery, one per transition and receiver")
        .register(registry);
    FunctionCounter.builder("orchestrator.alert.retries", stats, AlertStats::retried)
        .description("Alert delivery attempts after the first")
        .register(registry);
    Gauge.builder(
            "orchestrator.alerts.pending",
            stats,
            s -> s.queued() - s.sent() - s.failed() - s.dropped())
        .description("Alerts waiting or being delivered")
        .register(registry);
  }

  private static void outcome(
      AlertStats stats, MeterRegistry registry, String outcome, ToDoubleFunction<AlertStats> f) {
    FunctionCounter.builder("orchestrator.alerts", stats, f)
        .description("Alerts that reached an end: sent (2xx), failed (given up) or dropped")
        .tag("outcome", outcome)
        .register(registry);
  }
}
