package io.extrophi.orchestrator.probe;

import io.extrophi.orchestrator.stats.LatencyWindow;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * How long probes waited for a connection: from the moment a probe was sent until it had a
 * connection to send its request on (a free pooled one, or a new one once connected, TLS included).
 * The probe's timeout covers this wait, so a long wait shows here before it shows as timeouts.
 *
 * <p>Not thread-safe: used from the event loop of the probe verticle.
 */
public final class ConnectionWaits {

  /** Percentiles are reported over the last 25 to 30 seconds, like the schedule lag. */
  private static final Duration WINDOW = Duration.ofSeconds(30);

  private static final int WINDOW_SLICES = 6;

  private final LatencyWindow recent = new LatencyWindow(WINDOW.toMillis(), WINDOW_SLICES);
  private long count;
  private double totalMillis;
  private long timedOut;

  /** A probe got its connection after {@code waitedMillis}. */
  void obtained(double waitedMillis, long nowMillis) {
    recent.record(waitedMillis, nowMillis);
    count++;
    totalMillis += waitedMillis;
  }

  /** A probe's deadline passed while it was still waiting for a connection. */
  void timedOut(double waitedMillis, long nowMillis) {
    obtained(waitedMillis, nowMillis);
    timedOut++;
  }

  /**
   * {@code {"recent":{p50_ms…},"total_ms":…,"count":…,"timed_out":…}}: the percentiles of the last
   * half minute and the running totals since start-up.
   */
  public JsonObject toJson(long nowMillis) {
    return new JsonObject()
        .put("recent", recent.percentiles(nowMillis).toJson())
        .put("count", count)
        .put("total_ms", Math.round(totalMillis * 1000) / 1000.0)
        .put("timed_out", timedOut);
  }
}
