package io.extrophi.orchestrator.metrics;

import io.extrophi.orchestrator.breaker.CircuitState;
import io.extrophi.orchestrator.bus.BreakerTransition;
import io.extrophi.orchestrator.bus.ProbeResult;
import io.extrophi.orchestrator.status.HealthState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The meters of one service, all labelled {@code service="<name>"}: its health and circuit state as
 * state sets (one series per possible state, 1 for the current one), checks by outcome, probe
 * latency as a histogram, and circuit transitions by from/to. A service has at most 4 + 1 + 3 + 2 +
 * 6 series plus the histogram's buckets, so the total stays proportional to the fleet.
 */
final class ServiceMeters {

  /**
   * Histogram buckets of probe latency: from a fast local answer to the longest sensible timeout.
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

  private final MeterRegistry registry;
  private final String service;
  private final List<Meter> meters = new ArrayList<>();
  private final Counter successes;
  private final Counter failures;
  private final Timer latency;
  private final Map<String, Counter> transitions = new HashMap<>();

  // Written on the metrics verticle's event loop, read by the scrape on another thread.
  private volatile HealthState health;
  private volatile CircuitState circuit;

  ServiceMeters(MeterRegistry registry, String service, HealthState health, CircuitState circuit) {
    this.registry = registry;
    this.service = service;
    this.health = health;
    this.circuit = circuit;
    for (HealthState state : HealthState.values()) {
      meters.add(
          Gauge.builder("orchestrator.service.health", this, m -> m.health == state ? 1 : 0)
              .description("Reported health of the service: 1 for its current state, 0 otherwise")
              .tags("service", service, "state", state.jsonName())
              .register(registry));
    }
    meters.add(
        Gauge.builder("orchestrator.service.up", this, m -> m.health == HealthState.HEALTHY ? 1 : 0)
            .description("1 when the service is healthy, 0 otherwise")
            .tag("service", service)
            .register(registry));
    for (CircuitState state : CircuitState.values()) {
      meters.add(
          Gauge.builder("orchestrator.circuit.state", this, m -> m.circuit == state ? 1 : 0)
              .description("Circuit breaker state of the service: 1 for its current state")
              .tags("service", service, "state", state.jsonName())
              .register(registry));
    }
    successes = checks("success");
    failures = checks("failure");
    latency =
        Timer.builder("orchestrator.probe.duration")
            .description("Time from sending a probe to its answer (or failure)")
            .tag("service", service)
            .serviceLevelObjectives(LATENCY_BUCKETS)
            .register(registry);
    meters.add(latency);
  }

  private Counter checks(String outcome) {
    Counter counter =
        Counter.builder("orchestrator.checks")
            .description("Probes this process sent, by outcome")
            .tags("service", service, "outcome", outcome)
            .register(registry);
    meters.add(counter);
    return counter;
  }

  HealthState health() {
    return health;
  }

  void health(HealthState newHealth) {
    health = newHealth;
  }

  void circuit(CircuitState newCircuit) {
    circuit = newCircuit;
  }

  /** Counts a probe this process sent. */
  void record(ProbeResult result) {
    (result.healthy() ? successes : failures).increment();
    if (result.responseTimeMs() != null) {
      latency.record(Math.round(result.responseTimeMs() * 1_000), TimeUnit.MICROSECONDS);
    }
  }

  /** Counts a circuit transition of a probe this process sent. */
  void count(BreakerTransition transition) {
    String from = transition.from().jsonName();
    String to = transition.to().jsonName();
    transitions
        .computeIfAbsent(
            from + ">" + to,
            key -> {
              Counter counter =
                  Counter.builder("orchestrator.circuit.transitions")
                      .description("Circuit breaker transitions, by the states left and entered")
                      .tags("service", service, "from", from, "to", to)
                      .register(registry);
              meters.add(counter);
              return counter;
            })
        .increment();
  }

  /** Removes every series of the service, once it is no longer monitored. */
  void remove() {
    meters.forEach(registry::remove);
    meters.clear();
    transitions.clear();
  }
}
