package io.extrophi.orchestrator.probe;

import io.extrophi.orchestrator.bus.EventBusAddresses;
import io.extrophi.orchestrator.cluster.Assignment;
import io.extrophi.orchestrator.config.ConfigDiff;
import io.extrophi.orchestrator.config.OrchestratorConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
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
 * Triggers come through the node's own address ({@link EventBusAddresses#nodeTrigger}). A cluster
 * node is {@link #ready} once warmed and allowed to begin: only then is it announced to the others,
 * and its first round begins with the first assignment that lets it probe, at once, so that the
 * share the others hand over on that announcement is probed without a gap.
 *
 * <p>The verticle wires its collaborators to the event bus: {@link ProbedServices} starts and stops
 * services (the reload diff, the take-over), {@link TriggerAnswers} answers triggers with the
 * status, {@link SchedulePunctuality} the schedule's statistics.
 */
public final class ProbeVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(ProbeVerticle.class);

  private final Clock clock;
  private final String clusterNodeId;

  private TriggerAnswers triggers;
  private ProbedServices services;
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
  private final Promise<Void> ready = Promise.promise();

  /** Whether the first round is due and waits for an assignment that lets this node probe. */
  private boolean firstRoundAwaitsAssignment;

  private boolean stopping;

  /** A single process's probes, on the system clock. */
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
    services =
        new ProbedServices(
            new ProbedServices.Shared(
                vertx, clock, clients, limiter, schedule, publisher, punctuality),
            () -> config,
            name -> triggers.forget(name));
    triggers = new TriggerAnswers(vertx, clock, services, publisher::flush);
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
                  .onSuccess(
                      go ->
                          context.runOnContext(
                              onContext -> {
                                beginFirstRound();
                                this.ready.complete();
                              }));
            });
  }

  /**
   * A trigger that comes before the first round (right after a start) waits for it: only then are
   * the services scheduled, and the trigger joins their first checks instead of finding none.
   */
  private void onTrigger(Message<JsonObject> request) {
    probing.future().onSuccess(begun -> triggers.answer(request));
  }

  /**
   * Completes once the probe path is warm and the first round may begin: a cluster node then
   * announces that it probes (see {@link io.extrophi.orchestrator.cluster.ClusterVerticle}).
   */
  public Future<Void> ready() {
    return ready.future();
  }

  private void beginFirstRound() {
    if (stopping) {
      return;
    }
    if (clusterNodeId != null && !assignment.active()) {
      firstRoundAwaitsAssignment = true;
      return;
    }
    firstRoundAwaitsAssignment = false;
    OrchestratorConfig first = config;
    services
        .savedCircuits()
        .compose(
            circuits ->
                services.scheduleFirstRound(
                    context, first, name -> assignment.owns(name), circuits, () -> stopping))
        .onSuccess(scheduled -> firstRoundScheduled(first))
        .onFailure(failure -> LOG.error("the first round could not be scheduled", failure));
  }

  /** A reload that came while the first round was scheduled is applied now. */
  private void firstRoundScheduled(OrchestratorConfig first) {
    if (stopping) {
      return;
    }
    if (config != first) {
      services.follow(ConfigDiff.between(first, config), config, assignment);
    }
    LOG.info(
        "monitoring {} services (at most {} probes in flight)",
        services.size(),
        config.runtime().maxInFlightProbes());
    probing.complete();
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
    long underWay = services.abandonAll();
    int dropped = limiter.stop();
    services.unscheduleAll();
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
    services.follow(diff, next, assignment);
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
    if (firstRoundAwaitsAssignment && assignment.active()) {
      beginFirstRound();
      return;
    }
    ownershipChange =
        ownershipChange.transform(
            previous ->
                services
                    .savedCircuits()
                    .onSuccess(circuits -> services.follow(assignment, circuits)));
  }
}
