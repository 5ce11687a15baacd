package io.extrophi.orchestrator.metrics;

import io.extrophi.orchestrator.bus.BreakerTransition;
import io.extrophi.orchestrator.bus.CircuitState;
import io.extrophi.orchestrator.bus.HealthState;
import io.extrophi.orchestrator.bus.ProbeResult;
import io.extrophi.orchestrator.document.Component;
import io.extrophi.orchestrator.document.ReportedStatus;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What {@code /metrics} says of one service, kept as plain numbers: its health and circuit state,
 * checks by outcome, probe latency in histogram buckets and circuit transitions by from/to. {@link
 * FleetCollector} turns them into series at scrape time. A Micrometer meter per series would cost
 * about 12 KB per service (120 MB at 10,000 services); these cost a few hundred bytes.
 *
 * <p>Written on the metrics verticle's event loop, read by the scrape on a worker thread: the
 * states are volatile and the numbers atomic, so a scrape sees each one whole, if not all of them
 * at the same instant (as with any Prometheus client).
 */
final class ServiceSeries {

  /**
   * Upper bounds of the latency histogram's buckets: from a fast local answer to the longest
   * sensible timeout; +Inf follows.
   */
  static final Duration[] LATENCY_BUCKETS = {
    Duration.ofMillis(5),
    Duration.ofMillis(10),
    Duration.ofMillis(25),
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofMillis(2500),
    Duration.ofSeconds(5),
    Duration.ofSeconds(10),
    Duration.ofSeconds(30)
  };

  private static final long[] BUCKET_BOUNDS_MICROS = new long[LATENCY_BUCKETS.length];

  static {
    for (int i = 0; i < LATENCY_BUCKETS.length; i++) {
      BUCKET_BOUNDS_MICROS[i] = LATENCY_BUCKETS[i].toNanos() / 1_000;
    }
  }

  private static final int STATES = CircuitState.values().length;

  final String name;
  private volatile HealthState health;
  private volatile CircuitState circuit;
  // What this node's last probe of the service read in its health document; null/empty for none.
  private volatile ReportedStatus reported;
  private volatile List<Component> components = List.of();
  private final AtomicLongArray checks = new AtomicLongArray(2); // successes, failures
  // Observations per bucket (not cumulative), the last one above every bound.
  private final AtomicLongArray buckets = new AtomicLongArray(LATENCY_BUCKETS.length + 1);
  private final AtomicLong latencySumMicros = new AtomicLong();
  // Transitions from state i to state j at i * STATES + j.
  private final AtomicLongArray transitions = new AtomicLongArray(STATES * STATES);

  ServiceSeries(String name) {
    this.name = name;
    this.health = HealthState.UNKNOWN;
    this.circuit = CircuitState.CLOSED;
  }

  HealthState health() {
    return health;
  }

  void health(HealthState newHealth) {
    health = newHealth;
  }

  CircuitState circuit() {
    return circuit;
  }

  void circuit(CircuitState newCircuit) {
    circuit = newCircuit;
  }

  ReportedStatus reported() {
    return reported;
  }

  /** At most {@code HealthReport.MAX_COMPONENTS}: the probe result's own bound. */
  List<Component> components() {
    return components;
  }

  /** Counts a probe this process sent. */
  void record(ProbeResult result) {
    reported = result.reportedStatus();
    components = result.components();
    checks.incrementAndGet(result.healthy() ? 0 : 1);
    Double millis = result.responseTimeMs();
    if (millis != null) {
      long micros = Math.round(millis * 1_000);
      int bucket = 0;
      while (bucket < BUCKET_BOUNDS_MICROS.length && micros > BUCKET_BOUNDS_MICROS[bucket]) {
        bucket++;
      }
      buckets.incrementAndGet(bucket);
      latencySumMicros.addAndGet(micros);
    }
  }

  /** Counts a circuit transition of a probe this process sent. */
  void count(BreakerTransition transition) {
    transitions.incrementAndGet(transition.from().ordinal() * STATES + transition.to().ordinal());
  }

  long successes() {
    return checks.get(0);
  }

  long failures() {
    return checks.get(1);
  }

  /** Observations per bucket, not cumulative; the last is above every bound. */
  long[] buckets() {
    long[] copy = new long[buckets.length()];
    for (int i = 0; i < copy.length; i++) {
      copy[i] = buckets.get(i);
    }
    return copy;
  }

  double latencySumSeconds() {
    return latencySumMicros.get() / 1e6;
  }

  long transitions(CircuitState from, CircuitState to) {
    return transitions.get(from.ordinal() * STATES + to.ordinal());
  }
}
