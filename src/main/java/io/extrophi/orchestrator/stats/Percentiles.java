package io.extrophi.orchestrator.stats;

import io.vertx.core.json.JsonObject;

/**
 * Latency percentiles of one window, in milliseconds rounded to two decimals.
 *
 * <p>Every latency is {@code null} when {@code samples == 0}: "no data" must not look like "0 ms".
 *
 * @param p50Ms median
 * @param p95Ms 95th percentile
 * @param p99Ms 99th percentile
 * @param maxMs largest recorded value (exact, not bucketed)
 * @param samples number of samples in the window
 */
public record Percentiles(Double p50Ms, Double p95Ms, Double p99Ms, Double maxMs, long samples) {

  /** The value of a window without samples. */
  public static final Percentiles EMPTY = new Percentiles(null, null, null, null, 0);

  public JsonObject toJson() {
    return new JsonObject()
        .put("p50_ms", p50Ms)
        .put("p95_ms", p95Ms)
        .put("p99_ms", p99Ms)
        .put("max_ms", maxMs)
        .put("samples", samples);
  }
}
