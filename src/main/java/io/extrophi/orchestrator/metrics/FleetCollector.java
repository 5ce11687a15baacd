package io.extrophi.orchestrator.metrics;

import io.extrophi.orchestrator.bus.CircuitState;
import io.extrophi.orchestrator.bus.HealthState;
import io.extrophi.orchestrator.document.Component;
import io.extrophi.orchestrator.document.ReportedStatus;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;

/**
 * The per-service series of {@code /metrics}, built from {@link ServiceSeries} when Prometheus
 * scrapes, in the registry behind Micrometer's Prometheus registry (so they come out with the JVM's
 * and Vert.x's meters, in the same text): {@code orchestrator_service_health{service,state}},
 * {@code orchestrator_service_up{service}}, {@code orchestrator_circuit_state{service,state}},
 * {@code orchestrator_checks_total{service,outcome}}, {@code
 * orchestrator_probe_duration_seconds{service}} (a histogram) and {@code
 * orchestrator_circuit_transitions_total{service,from,to}} (the pairs that happened); for a service
 * whose health document was read, {@code orchestrator_reported_status{service,status}} and {@code
 * orchestrator_component_up{service,component}} (one per component of its last document, so a
 * component that disappears takes its series along).
 */
final class FleetCollector implements MultiCollector {

  static final List<String> NAMES =
      List.of(
          "orchestrator_service_health",
          "orchestrator_service_up",
          "orchestrator_circuit_state",
          "orchestrator_checks",
          "orchestrator_probe_duration_seconds",
          "orchestrator_circuit_transitions",
          "orchestrator_reported_status",
          "orchestrator_component_up");

  private static final double[] UPPER_BOUNDS = upperBounds();

  private final Supplier<Collection<ServiceSeries>> fleet;

  /**
   * @param fleet the services monitored now, in order; called from the scrape's thread
   */
  FleetCollector(Supplier<Collection<ServiceSeries>> fleet) {
    this.fleet = fleet;
  }

  @Override
  public List<String> getPrometheusNames() {
    return NAMES;
  }

  @Override
  public MetricSnapshots collect() {
    Collection<ServiceSeries> services = fleet.get();
    GaugeSnapshot.Builder health =
        GaugeSnapshot.builder()
            .name("orchestrator_service_health")
            .help("Reported health of the service: 1 for its current state, 0 otherwise");
    GaugeSnapshot.Builder up =
        GaugeSnapshot.builder()
            .name("orchestrator_service_up")
            .help("1 when the service is healthy, 0 otherwise");
    GaugeSnapshot.Builder circuit =
        GaugeSnapshot.builder()
            .name("orchestrator_circuit_state")
            .help("Circuit breaker state of the service: 1 for its current state, 0 otherwise");
    CounterSnapshot.Builder checks =
        CounterSnapshot.builder()
            .name("orchestrator_checks")
            .help("Probes this process sent, by outcome");
    HistogramSnapshot.Builder latency =
        HistogramSnapshot.builder()
            .name("orchestrator_probe_duration_seconds")
            .help("Time from sending a probe to its answer (or failure)");
    CounterSnapshot.Builder transitions =
        CounterSnapshot.builder()
            .name("orchestrator_circuit_transitions")
            .help("Circuit breaker transitions, by the states left and entered");
    GaugeSnapshot.Builder reported =
        GaugeSnapshot.builder()
            .name("orchestrator_reported_status")
            .help(
                "What the service's health document reports: 1 for its current status (pass, warn,"
                    + " fail), 0 otherwise; no series without a document");
    GaugeSnapshot.Builder componentUp =
        GaugeSnapshot.builder()
            .name("orchestrator_component_up")
            .help(
                "1 when the health document's component passes or warns, 0 when it fails; by its"
                    + " flattened path");
    for (ServiceSeries service : services) {
      ReportedStatus currentReported = service.reported();
      if (currentReported != null) {
        for (ReportedStatus status : ReportedStatus.values()) {
          reported.dataPoint(
              gauge(status == currentReported ? 1 : 0, service.name, "status", status.jsonName()));
        }
        for (Component component : service.components()) {
          componentUp.dataPoint(
              gauge(component.up() ? 1 : 0, service.name, "component", component.path()));
        }
      }
      HealthState currentHealth = service.health();
      for (HealthState state : HealthState.values()) {
        health.dataPoint(
            gauge(state == currentHealth ? 1 : 0, service.name, "state", state.jsonName()));
      }
      up.dataPoint(gauge(currentHealth == HealthState.HEALTHY ? 1 : 0, service.name));
      CircuitState currentCircuit = service.circuit();
      for (CircuitState state : CircuitState.values()) {
        circuit.dataPoint(
            gauge(state == currentCircuit ? 1 : 0, service.name, "state", state.jsonName()));
      }
      checks.dataPoint(counter(service.successes(), service.name, "outcome", "success"));
      checks.dataPoint(counter(service.failures(), service.name, "outcome", "failure"));
      latency.dataPoint(
          HistogramDataPointSnapshot.builder()
              .labels(Labels.of("service", service.name))
              .classicHistogramBuckets(ClassicHistogramBuckets.of(UPPER_BOUNDS, service.buckets()))
              .sum(service.latencySumSeconds())
              .build());
      for (CircuitState from : CircuitState.values()) {
        for (CircuitState to : CircuitState.values()) {
          long count = service.transitions(from, to);
          if (count > 0) {
            transitions.dataPoint(
                counter(count, service.name, "from", from.jsonName(), "to", to.jsonName()));
          }
        }
      }
    }
    return MetricSnapshots.of(
        health.build(),
        up.build(),
        circuit.build(),
        checks.build(),
        latency.build(),
        transitions.build(),
        reported.build(),
        componentUp.build());
  }

  private static GaugeDataPointSnapshot gauge(double value, String service, String... labels) {
    return GaugeDataPointSnapshot.builder().value(value).labels(labels(service, labels)).build();
  }

  private static CounterDataPointSnapshot counter(long value, String service, String... labels) {
    return CounterDataPointSnapshot.builder().value(value).labels(labels(service, labels)).build();
  }

  private static Labels labels(String service, String... more) {
    Labels labels = Labels.of("service", service);
    for (int i = 0; i < more.length; i += 2) {
      labels = labels.add(more[i], more[i + 1]);
    }
    return labels;
  }

  private static double[] upperBounds() {
    double[] bounds = new double[ServiceSeries.LATENCY_BUCKETS.length + 1];
    for (int i = 0; i < ServiceSeries.LATENCY_BUCKETS.length; i++) {
      bounds[i] = ServiceSeries.LATENCY_BUCKETS[i].toNanos() / 1e9;
    }
    bounds[bounds.length - 1] = Double.POSITIVE_INFINITY;
    return bounds;
  }
}
