package io.extrophi.orchestrator.metrics;

import io.extrophi.orchestrator.bus.BreakerTransition;
import io.extrophi.orchestrator.bus.CircuitState;
import io.extrophi.orchestrator.bus.EventBusAddresses;
import io.extrophi.orchestrator.bus.HealthState;
import io.extrophi.orchestrator.bus.HealthTransition;
import io.extrophi.orchestrator.bus.MessageSchema;
import io.extrophi.orchestrator.bus.ProbeResult;
import io.extrophi.orchestrator.bus.StatusEvent;
import io.extrophi.orchestrator.bus.StatusEventBatch;
import io.extrophi.orchestrator.config.OrchestratorConfig;
import io.extrophi.orchestrator.config.ServiceDefinition;
import io.extrophi.orchestrator.state.PersistenceStatus;
import io.extrophi.orchestrator.status.OverallHealth;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the orchestrator's own series up to date from the event bus, for {@code GET /metrics}: per
 * service in {@link ServiceSeries} (exposed by {@link FleetCollector}), for the fleet as two
 * Micrometer gauges.
 *
 * <p>Counters and the latency histogram count the probes this process sent (from the batches the
 * probe side hands to the status side), so in a cluster the sum over the nodes is the fleet's
 * total. The health and circuit gauges show the whole fleet as this node sees it: seeded from the
 * status once it has been restored at start (and again after each copy of another node's), then
 * moved by the transitions every node publishes.
 */
public final class MetricsVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(MetricsVerticle.class);

  private final PrometheusMeterRegistry registry;
  private OrchestratorConfig config;
  private final Map<String, ServiceSeries> services = new LinkedHashMap<>();
  // What the scrape reads, on its own thread: replaced whenever the fleet changes.
  private volatile List<ServiceSeries> fleet = List.of();
  private final FleetCollector collector = new FleetCollector(() -> fleet);
  private final List<Meter> fleetMeters = new ArrayList<>();
  private ConnectionWaitMeters connectionWaits;
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();

  // 1 while the last reload was rejected (or the services file is missing); read by the scrape.
  private volatile int configError;

  // Read by the scrape on another thread; replaced, never changed in place.
  private volatile Map<HealthState, Long> healthCounts = Map.of();
  private volatile OverallHealth overall = OverallHealth.HEALTHY;

  // The outcome of the state writes, from the status verticle; read by the scrape.
  private volatile PersistenceStatus persistence;
  private volatile double savedUpToSeconds;

  public MetricsVerticle(OrchestratorConfig config, PrometheusMeterRegistry registry) {
    this.config = config;
    this.registry = registry;
  }

  @Override
  public Future<?> start() {
    for (OverallHealth state : OverallHealth.values()) {
      fleetMeters.add(
          Gauge.builder("orchestrator.health", this, m -> m.overall == state ? 1 : 0)
              .description("Overall health of the fleet: 1 for its current state, 0 otherwise")
              .tag("state", state.jsonName())
              .register(registry));
    }
    for (HealthState state : HealthState.values()) {
      fleetMeters.add(
          Gauge.builder("orchestrator.services", this, m -> m.healthCounts.getOrDefault(state, 0L))
              .description("Monitored services by reported health")
              .tag("health", state.jsonName())
              .register(registry));
    }
    fleetMeters.add(
        Gauge.builder("orchestrator.config.error", this, m -> m.configError)
            .description(
                "1 while the last reload was rejected or the services file is missing (the last"
                    + " good configuration stays in force), 0 otherwise")
            .register(registry));
    if (config.runtime().dataDir() != null) {
      registerPersistenceMeters();
    }
    follow(config);
    connectionWaits = new ConnectionWaitMeters(vertx, registry);
    connectionWaits.start();
    registry.getPrometheusRegistry().register(collector);
    EventBus bus = vertx.eventBus();
    StatusEventBatch.registerCodec(bus);
    consumers.add(
        bus.<StatusEventBatch>localConsumer(
            EventBusAddresses.STATUS_EVENT_BATCHES, message -> count(message.body())));
    consumers.add(
        bus.<JsonObject>consumer(
            EventBusAddresses.HEALTH_TRANSITIONS,
            message -> onHealth(HealthTransition.fromJson(message.body()))));
    consumers.add(
        bus.<JsonObject>consumer(
            EventBusAddresses.BREAKER_TRANSITIONS,
            message -> onCircuit(BreakerTransition.fromJson(message.body()))));
    consumers.add(
        bus.<JsonObject>localConsumer(
            EventBusAddresses.CONFIG_CHANGED,
            message -> {
              follow(OrchestratorConfig.fromJson(message.body()));
              seed();
            }));
    consumers.add(
        bus.<JsonObject>localConsumer(
            EventBusAddresses.PERSISTENCE_CHANGED,
            message -> onPersistence(PersistenceStatus.fromJson(message.body()))));
    consumers.add(
        bus.<JsonObject>localConsumer(
            EventBusAddresses.CONFIG_STATUS, message -> onConfigStatus(message.body())));
    // After the status verticle restored its state at start, or copied another node's.
    consumers.add(
        bus.<JsonObject>localConsumer(EventBusAddresses.STATUS_REPLACED, message -> seed()));
    // Deployed before the status verticle, so as to count the first round's probes: the gauges
    // are seeded when that verticle says it has restored its state.
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList());
  }

  @Override
  public Future<?> stop() {
    registry.getPrometheusRegistry().unregister(collector);
    services.clear();
    fleet = List.of();
    fleetMeters.forEach(registry::remove);
    connectionWaits.stop(registry);
    return Future.succeededFuture();
  }

  /**
   * The state file's two series: when the state on disk was last complete (at start, the state on
   * disk is the one just restored, so the start time until the first write), and the failed writes.
   */
  private void registerPersistenceMeters() {
    persistence = new PersistenceStatus(PersistenceStatus.OK, null, null, 0);
    savedUpToSeconds = System.currentTimeMillis() / 1000.0;
    fleetMeters.add(
        Gauge.builder("orchestrator.state.last.write.timestamp", this, m -> m.savedUpToSeconds)
            .description(
                "When the state file last received the whole state (the start time until the first"
                    + " write), in seconds since the epoch")
            .baseUnit("seconds")
            .register(registry));
    fleetMeters.add(
        FunctionCounter.builder(
                "orchestrator.state.write.failures", this, m -> m.persistence.failedWrites())
            .description("State file writes that failed since the start")
            .register(registry));
  }

  private void onPersistence(PersistenceStatus status) {
    persistence = status;
    if (status.lastSaved() != null) {
      savedUpToSeconds = status.lastSaved().toEpochMilli() / 1000.0;
    }
  }

  /**
   * Keeps the series of services still monitored, adds new ones and drops those of removed
   * services, in the configured order.
   */
  private void follow(OrchestratorConfig newConfig) {
    config = newConfig;
    Map<String, ServiceSeries> kept = new LinkedHashMap<>();
    for (ServiceDefinition service : newConfig.services()) {
      kept.put(
          service.name(), services.getOrDefault(service.name(), new ServiceSeries(service.name())));
    }
    services.clear();
    services.putAll(kept);
    fleet = List.copyOf(services.values());
    recount();
  }

  /** Sets every gauge from the status as it is now (which may have been restored from disk). */
  private void seed() {
    vertx
        .eventBus()
        .<JsonObject>request(
            EventBusAddresses.STATES_QUERY, new JsonObject(), MessageSchema.localDelivery(10_000))
        .onSuccess(reply -> seed(reply.body().getJsonObject("services", new JsonObject())))
        .onFailure(failure -> LOG.warn("metrics: status query failed: {}", failure.getMessage()));
  }

  private void seed(JsonObject statuses) {
    for (String name : statuses.fieldNames()) {
      ServiceSeries series = services.get(name);
      JsonObject status = statuses.getJsonObject(name);
      if (series != null && status != null) {
        series.health(HealthState.fromJsonName(status.getString("health")));
        series.circuit(CircuitState.fromJsonName(status.getString("circuit_breaker_state")));
      }
    }
    recount();
  }

  private void onConfigStatus(JsonObject status) {
    String error = status.getString("error");
    configError = error == null ? 0 : 1;
    if (error != null) {
      Counter counter =
          Counter.builder("orchestrator.config.reloads.rejected")
              .description("Reloads rejected: an invalid configuration, or a missing services file")
              .tag("reason", status.getString("reason", "invalid"))
              .register(registry);
      if (!fleetMeters.contains(counter)) {
        fleetMeters.add(counter);
      }
      counter.increment();
    }
  }

  private void count(StatusEventBatch batch) {
    for (StatusEvent event : batch.events()) {
      if (event instanceof ProbeResult result) {
        ServiceSeries series = services.get(result.service());
        if (series != null) {
          series.record(result);
        }
      } else if (event instanceof BreakerTransition transition) {
        ServiceSeries series = services.get(transition.service());
        if (series != null) {
          series.count(transition);
        }
      }
    }
  }

  private void onHealth(HealthTransition transition) {
    ServiceSeries series = services.get(transition.service());
    if (series != null && series.health() != transition.to()) {
      Map<HealthState, Long> counts = new EnumMap<>(HealthState.class);
      counts.putAll(healthCounts);
      counts.merge(series.health(), -1L, Long::sum);
      counts.merge(transition.to(), 1L, Long::sum);
      series.health(transition.to());
      publishCounts(counts);
    }
  }

  private void onCircuit(BreakerTransition transition) {
    ServiceSeries series = services.get(transition.service());
    if (series != null) {
      series.circuit(transition.to());
    }
  }

  private void recount() {
    Map<HealthState, Long> counts = new EnumMap<>(HealthState.class);
    services.values().forEach(series -> counts.merge(series.health(), 1L, Long::sum));
    publishCounts(counts);
  }

  private void publishCounts(Map<HealthState, Long> counts) {
    long total = counts.values().stream().mapToLong(Long::longValue).sum();
    long healthy = counts.getOrDefault(HealthState.HEALTHY, 0L);
    healthCounts = Map.copyOf(counts);
    overall = OverallHealth.of(healthy, total);
  }
}
