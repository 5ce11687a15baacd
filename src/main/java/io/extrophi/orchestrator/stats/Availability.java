package io.extrophi.orchestrator.stats;

import io.vertx.core.json.JsonObject;

/**
 * Availability percentages over the last hour, day, week and 30 days, two decimals; a window
 * without any sample is {@code null} rather than 0 or 100, so "unknown" is not mistaken for an
 * outage or for perfect health. See {@link AvailabilityBuckets} for how the windows are cut.
 */
public record Availability(Double last1h, Double last24h, Double last7d, Double last30d) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("1h", last1h)
        .put("24h", last24h)
        .put("7d", last7d)
        .put("30d", last30d);
  }
}
