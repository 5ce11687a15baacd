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
import io.extrophi.orchestrator.stats.LatencyWindow;
import io.extrophi.orchestrator.status.EncodedSnapshot;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
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

  /** Schedule lag is reported over the last 25 to 30 seconds. */
  private static final Duration LAG_WINDOW = Duration.ofSeconds(30);

  private static final int LAG_WINDOW_SLICES = 6;

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
  private final LatencyWindow scheduleLag =
      new LatencyWindow(LAG_WINDOW.toMillis(), LAG_WINDOW_SLICES);

  /** Slots skipped because the previous probe of the service was still running. */
  private long busySlots;

  /** When each service was last probed because of a trigger, in clock milliseconds. */
  private final Map<String, Long> triggeredAt = new HashMap<>();

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
   *     during its start and then waits for it, so that the first samples are not taken while the
   *     rest of the process still deploys and compiles on the same cores
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
    List<MessageConsumer<JsonObject>> registered = new ArrayList<>();
    registered.add(
        vertx
            .eventBus()
            .consumer(
                clusterNodeId == null
                    ? EventBusAddresses.TRIGGER_CHECKS
                    : EventBusAddresses.nodeTrigger(clusterNodeId),
                this::answerTrigger));
    registered.add(
        vertx.eventBus().localConsumer(EventBusAddresses.CONFIG_CHANGED, this::onConfigChanged));
    registered.add(
        vertx.eventBus().consumer(EventBusAddresses.SCHEDULE_QUERY, this::answerScheduleQuery));
    if (clusterNodeId != null) {
      registered.add(
          vertx.eventBus().localConsumer(EventBusAddresses.CLUSTER_ASSIGNMENT, this::onAssignment));
    }
    consumers = List.copyOf(registered);
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList())
        // Warm before the first round, so that its samples measure the targets, not the JVM.
        .compose(ready -> ProbeWarmUp.run(vertx, clients, config.runtime().maxBodyBytes(), clock))
        .onSuccess(
            warm -> {
              // Assignments that arrive before the first round are followed after it.
              ownershipChange = probing.future();
              firstRound.onSuccess(go -> context.runOnContext(onContext -> beginFirstRound()));
            });
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
      startSlots(entry, nextSlotAfter(service.name(), intervalMs, clock.millis()));
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
                    firstSlotAfter(service.name(), service.interval().toMillis(), clock.millis())));
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
                busySlots++;
              } else {
                monitor.check(() -> recordLag(due));
              }
            });
  }

  private void recordLag(long dueMillis) {
    long now = clock.millis();
    scheduleLag.record(Math.max(0, now - dueMillis), now);
  }

  /**
   * How punctual the schedule is: how late scheduled probes went out against their slots over the
   * last half minute, slots skipped because the previous probe was still running, the in-flight
   * cap's occupancy, and how long probes waited for their connections.
   */
  private void answerScheduleQuery(Message<JsonObject> request) {
    request.reply(
        new JsonObject()
            .put(MessageSchema.FIELD, MessageSchema.VERSION)
            .put("lag", scheduleLag.percentiles(clock.millis()).toJson())
            .put("missed_slots", busySlots + schedule.missedSlots())
            .put("in_flight", limiter.inFlight())
            .put("waiting", limiter.waiting())
            .put("connection_wait", clients.waits().toJson(clock.millis())));
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
    triggeredAt.remove(name);
    Scheduled removed = scheduled.remove(name);
    if (removed != null) {
      removed.stop();
    }
  }

  /**
   * The first slot of a service whose first check completed at {@code checkedAtMillis}: at least
   * half an interval later, so the two do not run back to back, and at the service's own phase
   * within its interval. The phase is derived from the name and counted from the epoch, so a fleet
   * is spread evenly over the interval, and a service keeps its slots across restarts.
   */
  static long firstSlotAfter(String name, long intervalMs, long checkedAtMillis) {
    return nextSlotAfter(name, intervalMs, checkedAtMillis + intervalMs / 2);
  }

  /**
   * The first of the service's slots at or after {@code notBefore}. Slots depend only on the name,
   * the interval and the epoch, so every node of a cluster agrees on them.
   */
  static long nextSlotAfter(String name, long intervalMs, long notBefore) {
    long phase = Math.floorMod(name.hashCode() * 2_654_435_761L, intervalMs);
    return notBefore + Math.floorMod(phase - notBefore, intervalMs);
  }

  /**
   * Checks every service (or the one named in {@code {"service": name}}) now, joining probes in
   * flight, and replies with their status.
   */
  private void answerTrigger(Message<JsonObject> request) {
    JsonObject body = request.body() == null ? new JsonObject() : request.body();
    String only = body.getString("service");
    JsonArray subset = body.getJsonArray("services");
    boolean encodedReply =
        EventBusAddresses.ENCODED_REPLY.equals(
            request.headers().get(EventBusAddresses.REPLY_FORMAT_HEADER));
    List<Future<?>> checks = new ArrayList<>();
    if (only != null) {
      Scheduled service = scheduled.get(only);
      if (service == null) {
        boolean configured =
            config.services().stream().anyMatch(defined -> defined.name().equals(only));
        if (configured) {
          request.fail(503, only + " is not probed by this node right now, retry shortly");
        } else {
          request.fail(404, "no service named " + only);
        }
        return;
      }
      checks.add(triggeredCheck(service));
    } else if (subset != null) {
      for (Object name : subset) {
        Scheduled service = scheduled.get(String.valueOf(name));
        if (service != null) {
          checks.add(triggeredCheck(service));
        }
      }
    } else {
      scheduled.values().forEach(service -> checks.add(triggeredCheck(service)));
    }
    Future.join(checks)
        // The results are sent before the query, and the event bus keeps one sender's messages in
        // order, so the status verticle has applied them when it answers.
        .transform(
            ignored -> {
              publisher.flush();
              if (only != null) {
                return queryStatus(only).<Object>map(status -> status);
              }
              return subset != null
                  ? queryStatuses(subset).<Object>map(statuses -> statuses)
                  : queryRoundResults(encodedReply);
            })
        .onSuccess(request::reply)
        .onFailure(
            failure ->
                request.fail(
                    MessageSchema.failureCodeOf(failure),
                    "status unavailable: " + failure.getMessage()));
  }

  /**
   * A check for a trigger, coalesced: a probe in flight is joined, and a service probed by a
   * trigger less than {@code TRIGGER_MIN_GAP} ago is not probed again (the trigger answers with its
   * latest result). However many triggers arrive at once, each service sees at most one probe per
   * gap from them.
   */
  private Future<?> triggeredCheck(Scheduled service) {
    ServiceMonitor monitor = service.monitor();
    if (monitor.isProbing()) {
      return monitor.check();
    }
    String name = service.definition.name();
    long now = clock.millis();
    Long last = triggeredAt.get(name);
    if (last != null && now - last < config.runtime().triggerMinGap().toMillis()) {
      return Future.succeededFuture();
    }
    triggeredAt.put(name, now);
    return monitor.check();
  }

  /**
   * The status of every service after a round, encoded once by the status verticle: sent on as it
   * is to the HTTP API, read back into JSON for anyone else.
   */
  private Future<Object> queryRoundResults(boolean encoded) {
    return vertx
        .eventBus()
        .<EncodedSnapshot>request(
            EventBusAddresses.ENCODED_STATUS_QUERY,
            new JsonObject().put("results_only", true),
            MessageSchema.localDelivery(Duration.ofSeconds(10).toMillis()))
        .map(
            reply ->
                encoded
                    ? reply.body()
                    : MessageSchema.stamp(new JsonObject(reply.body().render(clock.instant()))));
  }

  /** {@code {"services":{…}}}: the status of the named services, for a cluster's trigger. */
  private Future<JsonObject> queryStatuses(JsonArray names) {
    return queryStatus(null)
        .map(
            snapshot -> {
              JsonObject all = snapshot.getJsonObject("services", new JsonObject());
              JsonObject picked = new JsonObject();
              for (Object name : names) {
                Object status = all.getValue(String.valueOf(name));
                if (status != null) {
                  picked.put(String.valueOf(name), status);
                }
              }
              return new JsonObject().put("services", picked);
            });
  }

  private Future<JsonObject> queryStatus(String service) {
    JsonObject query =
        service == null ? new JsonObject() : new JsonObject().put("service", service);
    return vertx
        .eventBus()
        .<JsonObject>request(
            EventBusAddresses.STATUS_QUERY,
            query,
            MessageSchema.localDelivery(Duration.ofSeconds(10).toMillis()))
        .map(Message::body);
  }
}
