package io.extrophi.orchestrator.probe;

import io.extrophi.orchestrator.breaker.BreakerSettings;
import io.extrophi.orchestrator.breaker.ServiceBreaker;
import io.extrophi.orchestrator.bus.BreakerTransition;
import io.extrophi.orchestrator.bus.CircuitState;
import io.extrophi.orchestrator.bus.EventBusAddresses;
import io.extrophi.orchestrator.bus.MessageSchema;
import io.extrophi.orchestrator.cluster.Assignment;
import io.extrophi.orchestrator.config.ConfigDiff;
import io.extrophi.orchestrator.config.OrchestratorConfig;
import io.extrophi.orchestrator.config.ServiceDefinition;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The probe side: every service has a slot every interval on one shared {@link ProbeSchedule},
 * every result and circuit transition is published on the event bus (through {@link
 * ResultPublisher}), and {@link EventBusAddresses#TRIGGER_CHECKS} checks all services or one on
 * demand.
 *
 * <p>All services are checked once as soon as the verticle is deployed. After that each service
 * keeps a stable offset within its interval (derived from its name), so a large fleet is spread
 * over the interval instead of firing in one burst; {@link ProbeLimiter} caps the probes in flight.
 *
 * <p>A new configuration published on {@link EventBusAddresses#CONFIG_CHANGED} is applied without a
 * restart: added services are checked at once, removed ones stop, a service whose check or circuit
 * settings changed gets a fresh circuit, and unchanged services keep theirs.
 *
 * <p>In a cluster, the verticle probes only the services the {@link Assignment} on {@link
 * EventBusAddresses#CLUSTER_ASSIGNMENT} gives this node. A service it takes over continues from the
 * circuit state the status side has (the cluster's, replicated) and is first checked at its next
 * slot, which is the same on every node: the node that had it probed it in the slot before.
 * Triggers come through the node's own address ({@link EventBusAddresses#nodeTrigger}).
 */
public final class ProbeVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(ProbeVerticle.class);

  /**
   * One configured service: its definition, its monitor and, once its first check is done, its
   * place in the schedule.
   */
  private static final class Scheduled {
    private final ServiceDefinition definition;
    private final ServiceMonitor monitor;
    private ProbeSchedule.Entry slots;
    private boolean stopped;

    Scheduled(ServiceDefinition definition, ServiceMonitor monitor) {
      this.definition = definition;
      this.monitor = monitor;
    }

    ServiceMonitor monitor() {
      return monitor;
    }

    /** Retires the service for a stop; whether a probe of it was under way (see abandon). */
    boolean abandon() {
      return monitor.abandon();
    }

    void stop() {
      stopped = true;
      if (slots != null) {
        slots.cancel();
      }
      monitor.close();
    }
  }

  private final Clock clock;
  private final String clusterNodeId;
  private final Map<String, Scheduled> scheduled = new LinkedHashMap<>();

  private TriggerAnswers triggers;
  private SchedulePunctuality punctuality;

  private OrchestratorConfig config;
  private ProbeClients clients;

  private ProbeLimiter limiter;
  private ProbeSchedule schedule;
  private ResultPublisher publisher;
  private List<MessageConsumer<JsonObject>> consumers = List.of();
  private Assignment assignment;
  private Future<?> ownershipChange = Future.succeededFuture();
  private final Future<Void> firstRound;
  private final Promise<Void> probing = Promise.promise();
  private boolean stopping;

  /**
   * @param config the configuration to start with
   */
  public ProbeVerticle(OrchestratorConfig config) {
    this(config, Clock.systemUTC());
  }

  /**
   * The configuration is handed over directly, not as deployment config: Vert.x copies a verticle's
   * deployment config whenever it derives a context from it (the HTTP client does so for every
   * request), and a fleet's configuration is large.
   *
   * @param config the configuration to start with
   * @param clock source of the timestamps in results and transitions
   */
  public ProbeVerticle(OrchestratorConfig config, Clock clock) {
    this(config, clock, null);
  }

  /**
   * @param config the configuration to start with
   * @param clock source of the timestamps in results and transitions
   * @param clusterNodeId this node's id in a cluster, {@code null} in a single process (which
   *     probes every service)
   */
  public ProbeVerticle(OrchestratorConfig config, Clock clock, String clusterNodeId) {
    this(config, clock, clusterNodeId, Future.succeededFuture());
  }

  /**
   * @param config the configuration to start with
   * @param clock source of the timestamps in results and transitions
   * @param clusterNodeId this node's id in a cluster, {@code null} in a single process
   * @param firstRound completes when the first round may begin: the verticle warms its probe path
   *     once started and begins the first round when both are done, so that the first samples are
   *     taken neither cold nor while the rest of the process still deploys on the same cores
   */
  public ProbeVerticle(
      OrchestratorConfig config, Clock clock, String clusterNodeId, Future<Void> firstRound) {
    this.config = config;
    this.clock = clock;
    this.clusterNodeId = clusterNodeId;
    this.firstRound = firstRound;
    this.assignment =
        clusterNodeId == null ? Assignment.SINGLE_PROCESS : Assignment.waiting(clusterNodeId);
  }

  @Override
  public Future<?> start() {
    clients = new ProbeClients(vertx, config);
    limiter = new ProbeLimiter(config.runtime().maxInFlightProbes());
    schedule = new ProbeSchedule(vertx, clock::millis);
    publisher = new ResultPublisher(vertx, clusterNodeId);
    punctuality = new SchedulePunctuality(clock, schedule, limiter, clients);
    triggers = new TriggerAnswers(vertx, clock, new ProbedFleet(), publisher::flush);
    List<MessageConsumer<JsonObject>> registered = new ArrayList<>();
    registered.add(
        vertx
            .eventBus()
            .consumer(
                clusterNodeId == null
                    ? EventBusAddresses.TRIGGER_CHECKS
                    : EventBusAddresses.nodeTrigger(clusterNodeId),
                this::onTrigger));
    registered.add(
        vertx.eventBus().localConsumer(EventBusAddresses.CONFIG_CHANGED, this::onConfigChanged));
    registered.add(
        vertx.eventBus().consumer(EventBusAddresses.SCHEDULE_QUERY, punctuality::answer));
    if (clusterNodeId != null) {
      registered.add(
          vertx.eventBus().localConsumer(EventBusAddresses.CLUSTER_ASSIGNMENT, this::onAssignment));
    }
    consumers = List.copyOf(registered);
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList())
        .onSuccess(
            ready -> {
              // Assignments that arrive before the first round are followed after it.
              ownershipChange = probing.future();
              // Warm before the first round, so that its samples measure the targets, not the
              // JVM; meanwhile the rest of the process deploys (its API answers at once), and the
              // first round waits for both.
              Future<Void> warm =
                  ProbeWarmUp.run(vertx, clients, config.runtime().maxBodyBytes(), clock);
              Future.all(warm, firstRound)
                  .onSuccess(go -> context.runOnContext(onContext -> beginFirstRound()));
            });
  }

  /** The services this verticle probes, for the triggers. */
  private final class ProbedFleet implements TriggerAnswers.Fleet {
    @Override
    public ServiceMonitor monitor(String name) {
      Scheduled service = scheduled.get(name);
      return service == null ? null : service.monitor();
    }

    @Override
    public Map<String, ServiceMonitor> monitors() {
      Map<String, ServiceMonitor> monitors = new LinkedHashMap<>();
      scheduled.forEach((name, service) -> monitors.put(name, service.monitor()));
      return monitors;
    }

    @Override
    public boolean isConfigured(String name) {
      return config.services().stream().anyMatch(defined -> defined.name().equals(name));
    }

    @Override
    public Duration triggerMinGap() {
      return config.runtime().triggerMinGap();
    }
  }

  /**
   * A trigger that comes before the first round (right after a start) waits for it: only then are
   * the services scheduled, and the trigger joins their first checks instead of finding none.
   */
  private void onTrigger(Message<JsonObject> request) {
    probing.future().onSuccess(begun -> triggers.answer(request));
  }

  private void beginFirstRound() {
    if (stopping) {
      return;
    }
    savedCircuits()
        .onSuccess(
            circuits -> {
              if (stopping) {
                return;
              }
              config.services().stream()
                  .filter(service -> assignment.owns(service.name()))
                  .forEach(service -> schedule(service, circuits, true));
              LOG.info(
                  "monitoring {} services (at most {} probes in flight)",
                  scheduled.size(),
                  config.runtime().maxInFlightProbes());
              probing.complete();
            });
  }

  /**
   * Ends probing before anything else: no slot fires any more, the checks waiting for a slot are
   * dropped, and the probes in flight are abandoned without a result (closing the clients cuts them
   * off, which says nothing about their services), so a stop adds no failure and no transition. The
   * results that came in before are still published.
   */
  @Override
  public Future<?> stop() {
    stopping = true;
    schedule.close();
    // Abandoned first, so the checks the limiter drops below end without a result too.
    long underWay = scheduled.values().stream().filter(Scheduled::abandon).count();
    int dropped = limiter.stop();
    scheduled.keySet().stream().toList().forEach(this::unschedule);
    LOG.info(
        "probing stopped: {} probes in flight abandoned without a result, {} waiting checks dropped",
        underWay - dropped,
        dropped);
    publisher.flush();
    // Closing the clients ends their pooled keep-alive connections.
    Future<Void> closed = clients.close();
    return Future.join(
        closed, Future.join(consumers.stream().map(MessageConsumer::unregister).toList()));
  }

  private void onConfigChanged(Message<JsonObject> message) {
    apply(OrchestratorConfig.fromJson(message.body()));
  }

  /** Applies a new configuration: add, remove and restart exactly what changed. */
  private void apply(OrchestratorConfig next) {
    ConfigDiff diff = ConfigDiff.between(config, next);
    config = next;
    limiter.resize(next.runtime().maxInFlightProbes());
    clients.follow(next);
    if (!probing.future().isComplete()) {
      // Nothing is scheduled yet: the first round takes the services from the new configuration.
      return;
    }
    diff.removed().forEach(this::unschedule);
    diff.changed().forEach(this::restartCircuit);
    Map<String, Scheduled> kept = new LinkedHashMap<>(scheduled);
    scheduled.clear();
    for (ServiceDefinition service : next.services()) {
      Scheduled unchanged = kept.get(service.name());
      if (unchanged == null) {
        if (assignment.owns(service.name())) {
          schedule(service, new JsonObject(), true);
        }
      } else {
        scheduled.put(service.name(), unchanged);
      }
    }
    LOG.info(
        "configuration applied: added {}, removed {}, changed {}",
        diff.added(),
        diff.removed(),
        diff.changed());
  }

  /**
   * A new list of cluster members: stops the services this node no longer owns and takes over the
   * ones it now owns, continuing their circuits. Changes are applied one after the other, each
   * against the latest assignment.
   */
  private void onAssignment(Message<JsonObject> message) {
    assignment = Assignment.fromJson(message.body());
    ownershipChange =
        ownershipChange.transform(previous -> savedCircuits().onSuccess(this::followAssignment));
  }

  private void followAssignment(JsonObject circuits) {
    List<String> released = new ArrayList<>();
    List<String> taken = new ArrayList<>();
    for (String name : List.copyOf(scheduled.keySet())) {
      if (!assignment.owns(name)) {
        unschedule(name);
        released.add(name);
      }
    }
    for (ServiceDefinition service : config.services()) {
      if (assignment.owns(service.name()) && !scheduled.containsKey(service.name())) {
        schedule(service, circuits, false);
        taken.add(service.name());
      }
    }
    if (!released.isEmpty() || !taken.isEmpty()) {
      LOG.info(
          "cluster: took over {} services, handed over {}; probing {}",
          taken.size(),
          released.size(),
          scheduled.size());
    }
  }

  /**
   * The circuit states the status verticle has: saved before a restart, or in a cluster the ones
   * the other nodes replicated; empty when it does not answer (circuits then start closed).
   */
  private Future<JsonObject> savedCircuits() {
    return vertx
        .eventBus()
        .<JsonObject>request(
            EventBusAddresses.CIRCUITS_QUERY,
            new JsonObject(),
            MessageSchema.localDelivery(Duration.ofSeconds(10).toMillis()))
        .map(Message::body)
        .otherwise(new JsonObject());
  }

  /**
   * Starts checking a service: restores its saved circuit unless its check changed since (then the
   * circuit starts fresh, as after a reload), then checks it periodically.
   *
   * @param checkNow whether to check it at once (a new service, a start) or only from its next slot
   *     (a service taken over from another node, which checked it in the slot before)
   */
  private void schedule(ServiceDefinition service, JsonObject savedCircuits, boolean checkNow) {
    ServiceBreaker breaker =
        new ServiceBreaker(
            vertx,
            service.name(),
            BreakerSettings.from(config, service),
            publisher::publish,
            clock);
    ServiceProbe probe = new ServiceProbe(clients, service, config.runtime().maxBodyBytes(), clock);
    Optional<SavedCircuit> saved = SavedCircuit.of(savedCircuits, service.name());
    if (saved.isPresent() && saved.get().belongsTo(service)) {
      breaker.restore(saved.get().state(), saved.get().consecutiveFailures());
    } else if (saved.isPresent()) {
      announceFreshCircuit(service.name(), saved.get().state(), "after its check changed");
    }
    ServiceMonitor monitor = new ServiceMonitor(probe, breaker, limiter, publisher::publish);
    Scheduled entry = new Scheduled(service, monitor);
    scheduled.put(service.name(), entry);
    if (!checkNow) {
      long intervalMs = service.interval().toMillis();
      startSlots(entry, ProbeSchedule.nextSlotAfter(service.name(), intervalMs, clock.millis()));
      return;
    }
    // Slots start once the first check is done, so a slot never finds the first check (which
    // may wait under the in-flight cap when a large fleet starts) still running.
    monitor
        .check()
        .onComplete(
            firstDone ->
                startSlots(
                    entry,
                    ProbeSchedule.firstSlotAfter(
                        service.name(), service.interval().toMillis(), clock.millis())));
  }

  private void startSlots(Scheduled entry, long firstSlot) {
    if (entry.stopped) {
      return;
    }
    ServiceMonitor monitor = entry.monitor();
    long intervalMs = entry.definition.interval().toMillis();
    entry.slots =
        schedule.add(
            firstSlot,
            intervalMs,
            due -> {
              if (monitor.isProbing()) {
                punctuality.slotSkipped();
              } else {
                monitor.check(() -> punctuality.probeSent(due));
              }
            });
  }

  /**
   * Drops a service whose check changed; it is scheduled again with a fresh, closed circuit. A
   * circuit that was not closed announces the reset, so the status follows.
   */
  private void restartCircuit(String name) {
    Scheduled changed = scheduled.get(name);
    CircuitState before =
        changed == null ? CircuitState.CLOSED : changed.monitor().breaker().state();
    unschedule(name);
    announceFreshCircuit(name, before, "after its check changed");
  }

  /** A circuit that was not closed announces its reset, so the status follows. */
  private void announceFreshCircuit(String name, CircuitState before, String reason) {
    if (before != CircuitState.CLOSED) {
      BreakerTransition reset =
          new BreakerTransition(name, before, CircuitState.CLOSED, reason, clock.instant());
      LOG.info(reset.describe());
      publisher.publish(reset);
    }
  }

  private void unschedule(String name) {
    triggers.forget(name);
    Scheduled removed = scheduled.remove(name);
    if (removed != null) {
      removed.stop();
    }
  }
}
