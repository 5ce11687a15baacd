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
import io.extrophi.orchestrator.time.InTurns;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The services this node probes, each with its monitor and its slots on the shared {@link
 * ProbeSchedule}: started and stopped as the configuration (the reload diff) and, in a cluster, the
 * {@link Assignment} (the take-over) change. Runs on the {@link ProbeVerticle}'s context.
 */
final class ProbedServices implements TriggerAnswers.Fleet {

  private static final Logger LOG = LoggerFactory.getLogger(ProbedServices.class);

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

  /** What the services share: the clients, the in-flight cap, the schedule, the publisher. */
  record Shared(
      Vertx vertx,
      Clock clock,
      ProbeClients clients,
      ProbeLimiter limiter,
      ProbeSchedule schedule,
      ResultPublisher publisher,
      SchedulePunctuality punctuality) {}

  private final Shared shared;
  private final Supplier<OrchestratorConfig> config;
  private final Consumer<String> forgotten;
  private final Map<String, Scheduled> scheduled = new LinkedHashMap<>();

  /**
   * @param config the configuration in force
   * @param forgotten told the name of every service no longer probed here
   */
  ProbedServices(Shared shared, Supplier<OrchestratorConfig> config, Consumer<String> forgotten) {
    this.shared = shared;
    this.config = config;
    this.forgotten = forgotten;
  }

  int size() {
    return scheduled.size();
  }

  @Override
  public ServiceMonitor monitor(String name) {
    Scheduled service = scheduled.get(name);
    return service == null ? null : service.monitor;
  }

  @Override
  public Map<String, ServiceMonitor> monitors() {
    Map<String, ServiceMonitor> monitors = new LinkedHashMap<>();
    scheduled.forEach((name, service) -> monitors.put(name, service.monitor));
    return monitors;
  }

  @Override
  public boolean isConfigured(String name) {
    return config.get().service(name).isPresent();
  }

  @Override
  public Duration triggerMinGap() {
    return config.get().runtime().triggerMinGap();
  }

  /**
   * Applies a reload: removed services stop, changed ones restart with a fresh circuit, added ones
   * this node owns are checked at once, unchanged ones keep theirs; the order becomes the
   * configured one.
   */
  void follow(ConfigDiff diff, OrchestratorConfig next, Assignment assignment) {
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
  }

  /**
   * Follows a cluster assignment: stops the services this node no longer owns and takes over the
   * ones it now owns, continuing their circuits from {@code circuits}.
   */
  void follow(Assignment assignment, JsonObject circuits) {
    List<String> released = new ArrayList<>();
    List<String> taken = new ArrayList<>();
    for (String name : List.copyOf(scheduled.keySet())) {
      if (!assignment.owns(name)) {
        unschedule(name);
        released.add(name);
      }
    }
    for (ServiceDefinition service : config.get().services()) {
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
  Future<JsonObject> savedCircuits() {
    return shared
        .vertx()
        .eventBus()
        .<JsonObject>request(
            EventBusAddresses.CIRCUITS_QUERY,
            new JsonObject(),
            MessageSchema.localDelivery(Duration.ofSeconds(10).toMillis()))
        .map(Message::body)
        .otherwise(new JsonObject());
  }

  /**
   * Services scheduled per event-loop turn in the first round, each starting its first probe: a
   * share of 2,493 scheduled in one turn held the loop for 16.7 s at load average 42.
   */
  static final int FIRST_ROUND_SLICE = 250;

  /**
   * Schedules the first round: every service of {@code first} that this node owns, each checked at
   * once, {@value #FIRST_ROUND_SLICE} per turn of the verticle's event loop (see {@link InTurns}),
   * until all are or {@code stopped} says so. Ownership is asked as each service's turn comes: an
   * assignment that changes meanwhile (a node joining) is followed for the rest of the round, and
   * what it hands to this node comes with the take-over after the round.
   */
  Future<Void> scheduleFirstRound(
      Context context,
      OrchestratorConfig first,
      Predicate<String> owned,
      JsonObject circuits,
      BooleanSupplier stopped) {
    return InTurns.forEach(
        context,
        first.services(),
        FIRST_ROUND_SLICE,
        service -> {
          if (owned.test(service.name())) {
            schedule(service, circuits, true);
          }
        },
        stopped);
  }

  /**
   * Starts checking a service: restores its saved circuit unless its check changed since (then the
   * circuit starts fresh, as after a reload), then checks it periodically.
   *
   * @param checkNow whether to check it at once (a new service, a start) or only from its next slot
   *     (a service taken over from another node, which checked it in the slot before)
   */
  void schedule(ServiceDefinition service, JsonObject savedCircuits, boolean checkNow) {
    OrchestratorConfig current = config.get();
    Clock clock = shared.clock();
    ServiceBreaker breaker =
        new ServiceBreaker(
            shared.vertx(),
            service.name(),
            BreakerSettings.from(current, service),
            shared.publisher()::publish,
            clock);
    ServiceProbe probe =
        new ServiceProbe(shared.clients(), service, current.runtime().maxBodyBytes(), clock);
    Optional<SavedCircuit> saved = SavedCircuit.of(savedCircuits, service.name());
    if (saved.isPresent() && saved.get().belongsTo(service)) {
      breaker.restore(saved.get().state(), saved.get().consecutiveFailures());
    } else if (saved.isPresent()) {
      announceFreshCircuit(service.name(), saved.get().state(), "after its check changed");
    }
    ServiceMonitor monitor =
        new ServiceMonitor(probe, breaker, shared.limiter(), shared.publisher()::publish);
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

  /**
   * Retires every service for a stop.
   *
   * @return how many had a probe under way
   */
  long abandonAll() {
    return scheduled.values().stream().filter(Scheduled::abandon).count();
  }

  void unscheduleAll() {
    scheduled.keySet().stream().toList().forEach(this::unschedule);
  }

  private void startSlots(Scheduled entry, long firstSlot) {
    if (entry.stopped) {
      return;
    }
    ServiceMonitor monitor = entry.monitor;
    long intervalMs = entry.definition.interval().toMillis();
    SchedulePunctuality punctuality = shared.punctuality();
    entry.slots =
        shared
            .schedule()
            .add(
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
    CircuitState before = changed == null ? CircuitState.CLOSED : changed.monitor.breaker().state();
    unschedule(name);
    announceFreshCircuit(name, before, "after its check changed");
  }

  /** A circuit that was not closed announces its reset, so the status follows. */
  private void announceFreshCircuit(String name, CircuitState before, String reason) {
    if (before != CircuitState.CLOSED) {
      BreakerTransition reset =
          new BreakerTransition(
              name, before, CircuitState.CLOSED, reason, shared.clock().instant());
      LOG.info(reset.describe());
      shared.publisher().publish(reset);
    }
  }

  private void unschedule(String name) {
    forgotten.accept(name);
    Scheduled removed = scheduled.remove(name);
    if (removed != null) {
      removed.stop();
    }
  }
}
