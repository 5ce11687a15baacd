package io.extrophi.orchestrator.status;

import io.extrophi.orchestrator.bus.BreakerTransition;
import io.extrophi.orchestrator.bus.EventBusAddresses;
import io.extrophi.orchestrator.bus.HealthState;
import io.extrophi.orchestrator.bus.HealthTransition;
import io.extrophi.orchestrator.bus.LocalOnlyCodec;
import io.extrophi.orchestrator.bus.MessageSchema;
import io.extrophi.orchestrator.bus.ProbeResult;
import io.extrophi.orchestrator.bus.StatusEvent;
import io.extrophi.orchestrator.bus.StatusEventBatch;
import io.extrophi.orchestrator.cluster.ClusterMembership;
import io.extrophi.orchestrator.config.OrchestratorConfig;
import io.extrophi.orchestrator.state.DataDirectoryClaim;
import io.extrophi.orchestrator.state.PersistenceHealth;
import io.extrophi.orchestrator.state.PersistenceStatus;
import io.extrophi.orchestrator.state.StateFile;
import io.extrophi.orchestrator.state.WriteFailureReason;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the status snapshot: consumes probe results, circuit transitions and configuration changes
 * from the event bus, logs and publishes health changes ({@link
 * EventBusAddresses#HEALTH_TRANSITIONS}), and answers {@link EventBusAddresses#STATUS_QUERY} and
 * {@link EventBusAddresses#HISTORY_QUERY}.
 *
 * <p>In a cluster it also applies the events the other nodes replicate ({@link
 * EventBusAddresses#CLUSTER_EVENTS}), so every node holds the statistics of the whole fleet, and a
 * node that starts copies the state of a live node first ({@link EventBusAddresses#nodeState}), so
 * its counts continue the cluster's. Health changes are published by the node that probed.
 */
public final class StatusVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(StatusVerticle.class);

  /**
   * Services encoded per chunk of the state file: about 1 MB with every statistic full. Small
   * enough to die young: bigger chunks outgrew the survivor space and filled the old generation.
   */
  private static final int SERVICES_PER_CHUNK = 64;

  /** How long a starting node waits for a live node's state before it starts without it. */
  private static final long SYNC_TIMEOUT_MS = 30_000;

  private final Clock clock;
  private final OrchestratorConfig config;
  private final ClusterMembership cluster;

  /** The reply header of a state copy that carries the {@link ReplicationLog} watermarks. */
  private static final String APPLIED_HEADER = "applied-batches";

  /**
   * Before asking for a copy of another node's state, the time other nodes take to learn that this
   * node listens to {@link EventBusAddresses#CLUSTER_EVENTS}: a batch published before they know is
   * not sent here, and must be in the copy.
   */
  private static final long SUBSCRIPTION_SPREAD_MS = 1_000;

  /** In a cluster: which batches the statistics hold; {@code null} in a single process. */
  private ReplicationLog replication;

  /** Whether a copy of another node's state is under way. */
  private boolean copying;

  /** Copies that ended with batches still missing, in a row. */
  private int copiesInARow;

  /**
   * After this many copies in a row that left batches missing, the batches still missing are given
   * up for lost and the ones after them applied: no live node has them.
   */
  private static final int MAX_COPIES_IN_A_ROW = 3;

  private StatusBoard board;
  private SharedSnapshot shared;
  private EncodedSnapshot encoded;
  private StateFile stateFile;

  /** The data directory's lock: one instance per directory, see {@link DataDirectoryClaim}. */
  private DataDirectoryClaim claim;

  private long flushTimer = -1;
  private Future<Void> lastFlush = Future.succeededFuture();
  private boolean stopping;
  private PersistenceHealth persistence;
  private List<MessageConsumer<?>> consumers = List.of();

  /**
   * @param config the configuration to start with
   */
  public StatusVerticle(OrchestratorConfig config) {
    this(config, Clock.systemUTC());
  }

  /**
   * @param config the configuration to start with (handed over directly: see {@link
   *     io.extrophi.orchestrator.probe.ProbeVerticle#ProbeVerticle(OrchestratorConfig, Clock)})
   * @param clock source of the snapshot timestamps and of the statistics' time windows
   */
  public StatusVerticle(OrchestratorConfig config, Clock clock) {
    this(config, clock, null);
  }

  /**
   * @param config the configuration to start with
   * @param clock source of the snapshot timestamps and of the statistics' time windows
   * @param cluster this node's cluster, {@code null} in a single process
   */
  public StatusVerticle(OrchestratorConfig config, Clock clock, ClusterMembership cluster) {
    this.config = config;
    this.clock = clock;
    this.cluster = cluster;
  }

  @Override
  public Future<?> start() {
    board = new StatusBoard(config.services(), config.runtime().historySize());
    shared = SharedSnapshot.of(vertx);
    // A snapshot left by an earlier deployment in this Vert.x instance is not this board's.
    shared.invalidate();
    String dataDir = config.runtime().dataDir();
    stateFile = dataDir == null ? null : new StateFile(vertx, dataDir, clock);
    persistence = stateFile == null ? null : new PersistenceHealth(stateFile.path(), clock);
    claim = dataDir == null ? null : new DataDirectoryClaim(vertx, dataDir);
    // The lock before the read: another instance's state is neither read nor overwritten.
    return (claim == null ? Future.<Void>succeededFuture() : claim.take())
        .compose(locked -> restoreSavedState(config.runtime().historySize()))
        .compose(restored -> registerConsumers())
        .compose(registered -> copyClusterState())
        .onSuccess(
            registered -> {
              scheduleFlushes(config.runtime().stateFlushInterval());
              // Restored from the state file (or copied from another node), not built from events.
              announceReplaced();
            })
        // A failed start is never stopped: the lock would outlive it.
        .recover(
            failed ->
                (claim == null ? Future.<Void>succeededFuture() : claim.release())
                    .transform(released -> Future.failedFuture(failed)));
  }

  /** Tells whoever mirrors the status (the metrics) to read it again, see STATUS_REPLACED. */
  private void announceReplaced() {
    vertx
        .eventBus()
        .publish(
            EventBusAddresses.STATUS_REPLACED,
            new JsonObject(),
            new DeliveryOptions().setLocalOnly(true));
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    vertx.cancelTimer(flushTimer);
    shared.invalidate();
    // The last flush on the way out: a clean shutdown loses nothing. If it cannot be written,
    // one line says so and why; the stop goes on as usual.
    return flush()
        .recover(
            failure -> {
              LOG.error(
                  "the final state could not be written to {}: {}; the checks since {} are lost",
                  stateFile.path(),
                  WriteFailureReason.of(failure),
                  describeLastSaved());
              return Future.succeededFuture();
            })
        // Released after the last write, so the next instance can start as soon as this one ends.
        .compose(flushed -> claim == null ? Future.<Void>succeededFuture() : claim.release());
  }

  private String describeLastSaved() {
    Instant saved = persistence.status().lastSaved();
    return saved == null ? "the start" : "the last write at " + saved;
  }

  private Future<Void> restoreSavedState(int historySize) {
    if (stateFile == null) {
      return Future.succeededFuture();
    }
    Instant restartedAt = clock.instant();
    return stateFile
        .read(payload -> StatusStateCodec.decodeSaved(payload, historySize, restartedAt))
        .onSuccess(
            read ->
                read.ifPresent(
                    saved -> {
                      board.restore(saved, restartedAt);
                      changed();
                      LOG.info(
                          "restored the state of {} services from {} ({} removed ones kept aside)",
                          saved.services().size(),
                          stateFile.path(),
                          board.removedServices().size());
                    }))
        .mapEmpty();
  }

  private void scheduleFlushes(Duration every) {
    if (stateFile != null) {
      scheduleFlush(every.toMillis(), every.toMillis());
    }
  }

  /**
   * Flushes after {@code delayMs}, then again one interval after that flush started: a check is on
   * disk at most one interval (and one write) after it was made, from the first second on. A write
   * that takes longer than the interval (a huge fleet on a slow disk, a short interval) is followed
   * by a pause of one interval, so writing never takes more than half the time.
   */
  private void scheduleFlush(long delayMs, long intervalMs) {
    flushTimer =
        vertx.setTimer(
            Math.max(1, delayMs),
            tick -> {
              long started = System.nanoTime();
              flush()
                  .onComplete(
                      done -> {
                        if (!stopping) {
                          long tookMs = (System.nanoTime() - started) / 1_000_000;
                          scheduleFlush(
                              tookMs < intervalMs ? intervalMs - tookMs : intervalMs, intervalMs);
                        }
                      });
            });
  }

  /**
   * Writes the state if it changed; one write at a time, so files never interleave. The state is
   * encoded and written {@link #SERVICES_PER_CHUNK} services at a time, so a large fleet's state
   * (about 20 KB per service with every statistic full) neither sits in the heap whole nor blocks
   * the event loop while it is encoded. Its outcome goes to {@link PersistenceHealth}, which says
   * in the log, {@code GET /} and {@code GET /metrics} whether the state is being saved.
   */
  private Future<Void> flush() {
    if (stateFile == null) {
      return Future.succeededFuture();
    }
    lastFlush =
        lastFlush.transform(
            previous -> {
              if (!board.isDirty()) {
                return Future.succeededFuture();
              }
              List<ServiceStatus> services = new ArrayList<>();
              board.services().forEach(services::add);
              board.markSaved();
              return claim
                  .ensureHeld()
                  .compose(
                      locked ->
                          stateFile.write(
                              StatusStateCodec.chunks(
                                  services, SERVICES_PER_CHUNK, board.removedServices().section())))
                  .onSuccess(written -> publishPersistence(persistence.saved()))
                  .onFailure(
                      failure -> {
                        // Still to be saved: the next flush tries again.
                        board.markDirty();
                        if (!stopping) {
                          // On the way out, stop() says it in one line of its own.
                          publishPersistence(persistence.failed(failure));
                        }
                      });
            });
    return lastFlush;
  }

  private void publishPersistence(PersistenceStatus status) {
    vertx
        .eventBus()
        .publish(
            EventBusAddresses.PERSISTENCE_CHANGED,
            status.toMessage(),
            new DeliveryOptions().setLocalOnly(true));
  }

  private void onPersistenceQuery(Message<JsonObject> message) {
    message.reply(
        (persistence == null ? PersistenceStatus.disabled() : persistence.status()).toMessage());
  }

  private Future<?> registerConsumers() {
    EventBus bus = vertx.eventBus();
    StatusEventBatch.registerCodec(bus);
    LocalOnlyCodec.register(bus, EncodedSnapshot.class);
    List<MessageConsumer<?>> registered = new ArrayList<>();
    registered.add(
        bus.<StatusEventBatch>localConsumer(
            EventBusAddresses.STATUS_EVENT_BATCHES, this::onStatusEvents));
    registered.add(bus.consumer(EventBusAddresses.STATUS_QUERY, this::onStatusQuery));
    registered.add(
        bus.localConsumer(EventBusAddresses.ENCODED_STATUS_QUERY, this::onEncodedStatusQuery));
    registered.add(bus.consumer(EventBusAddresses.HISTORY_QUERY, this::onHistoryQuery));
    registered.add(bus.localConsumer(EventBusAddresses.STATES_QUERY, this::onStatesQuery));
    registered.add(bus.localConsumer(EventBusAddresses.CONFIG_CHANGED, this::onConfigChanged));
    registered.add(bus.localConsumer(EventBusAddresses.CONFIG_STATUS, this::onConfigStatus));
    registered.add(bus.localConsumer(EventBusAddresses.CIRCUITS_QUERY, this::onCircuitsQuery));
    registered.add(
        bus.localConsumer(EventBusAddresses.PERSISTENCE_QUERY, this::onPersistenceQuery));
    if (cluster != null) {
      replication = new ReplicationLog(cluster.nodeId());
      // Held back until this node has copied the state of a live one.
      replication.holdBack();
      copying = true;
      registered.add(bus.consumer(EventBusAddresses.CLUSTER_EVENTS, this::onReplicatedEvents));
      registered.add(
          bus.consumer(EventBusAddresses.nodeState(cluster.nodeId()), this::onStateRequest));
    }
    consumers = List.copyOf(registered);
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList());
  }

  /**
   * A node that starts in a running cluster copies the state of a live node, then applies the
   * batches replicated meanwhile that the copy does not hold. Without a live node (the first one),
   * or when none answers, it goes on with its own saved state.
   */
  private Future<Void> copyClusterState() {
    if (cluster == null) {
      return Future.succeededFuture();
    }
    List<String> others =
        cluster.orchestratorNodes().stream()
            .filter(node -> !node.equals(cluster.nodeId()))
            .toList();
    if (others.isEmpty()) {
      finishCopy();
      return Future.succeededFuture();
    }
    Promise<Void> spread = Promise.promise();
    vertx.setTimer(SUBSCRIPTION_SPREAD_MS, timer -> spread.complete());
    return spread
        .future()
        .compose(waited -> copyStateOfOneOf(others, 0))
        .onComplete(done -> finishCopy());
  }

  /**
   * Batches of a node went missing (it published them before it knew this node listens): copies the
   * state again, from that node first, which holds all of its own.
   */
  private void recopy(String missingFrom) {
    if (copying) {
      return;
    }
    copying = true;
    LOG.warn("cluster: batches of node {} were missed; copying the state again", missingFrom);
    List<String> sources = new ArrayList<>();
    sources.add(missingFrom);
    cluster.orchestratorNodes().stream()
        .filter(node -> !node.equals(cluster.nodeId()) && !node.equals(missingFrom))
        .forEach(sources::add);
    copyStateOfOneOf(sources, 0).onComplete(done -> finishCopy());
  }

  /** Asks the nodes in turn until one hands its state over. */
  private Future<Void> copyStateOfOneOf(List<String> nodes, int next) {
    if (next >= nodes.size()) {
      if (!nodes.isEmpty()) {
        LOG.warn("cluster: no live node handed its state over; going on with this node's own");
      }
      return Future.succeededFuture();
    }
    String source = nodes.get(next);
    return vertx
        .eventBus()
        .<Buffer>request(
            EventBusAddresses.nodeState(source),
            new JsonObject(),
            new DeliveryOptions().setSendTimeout(SYNC_TIMEOUT_MS))
        .map(
            reply -> {
              board.restore(
                  StatusStateCodec.decode(
                      reply.body(), config.runtime().historySize(), clock.instant()));
              String watermarks = reply.headers().get(APPLIED_HEADER);
              List<StatusEventBatch> ownNotInCopy =
                  replication.adopt(
                      watermarks == null ? new JsonObject() : new JsonObject(watermarks));
              ownNotInCopy.forEach(this::applySilently);
              changed();
              LOG.info(
                  "cluster: continued from the state of node {} ({} bytes)",
                  source,
                  reply.body().length());
              return (Void) null;
            })
        .recover(
            failure -> {
              LOG.warn(
                  "cluster: could not copy the state of node {}: {}", source, failure.getMessage());
              return copyStateOfOneOf(nodes, next + 1);
            });
  }

  /**
   * Applies the batches held back during the copy, as if they arrived now: one that still finds
   * batches of its node missing starts another copy, up to {@link #MAX_COPIES_IN_A_ROW}.
   */
  private void finishCopy() {
    copying = false;
    copiesInARow++;
    boolean giveUpMissing = copiesInARow >= MAX_COPIES_IN_A_ROW;
    for (StatusEventBatch.Replicated replicated : replication.release()) {
      ReplicationLog.Admission admission =
          giveUpMissing ? replication.admitAfterCopy(replicated) : replication.admit(replicated);
      switch (admission) {
        case APPLY -> applySilently(replicated.batch());
        case GAP -> recopy(replicated.node());
        case SKIP, HELD -> {
          // Already in the statistics, or held back for the copy just started.
        }
      }
    }
    if (!copying) {
      copiesInARow = 0;
    }
    changed();
    if (!copying) {
      announceReplaced();
    }
  }

  /**
   * The binary state of every service, for a node that joins the cluster, with the batches it holds
   * in a header.
   */
  private void onStateRequest(Message<JsonObject> request) {
    if (copying) {
      // Its statistics are about to be replaced: the asking node should copy from another.
      request.fail(503, "copying the state of another node itself");
      return;
    }
    request.reply(
        StatusStateCodec.encode(board.services()),
        new DeliveryOptions().addHeader(APPLIED_HEADER, replication.watermarks().encode()));
  }

  private void onReplicatedEvents(Message<JsonObject> message) {
    StatusEventBatch.Replicated replicated;
    try {
      replicated = StatusEventBatch.fromReplicationJson(message.body());
    } catch (RuntimeException malformed) {
      LOG.warn("ignoring a malformed replicated batch: {}", malformed.getMessage());
      return;
    }
    if (replicated.node().equals(cluster.nodeId())) {
      return; // this node's own events, already applied from the local batch
    }
    admit(replicated);
    changed();
  }

  private void admit(StatusEventBatch.Replicated replicated) {
    switch (replication.admit(replicated)) {
      case APPLY -> applySilently(replicated.batch());
      case GAP -> recopy(replicated.node());
      case SKIP, HELD -> {
        // Already in the statistics, or waiting for the copy under way.
      }
    }
  }

  /**
   * Applies a batch another node probed (or one of this node's own again, on top of a copy): its
   * health changes were announced by the node that probed.
   */
  private void applySilently(StatusEventBatch batch) {
    for (StatusEvent event : batch.events()) {
      Optional<HealthTransition> change =
          event instanceof ProbeResult result
              ? board.apply(result)
              : board.apply((BreakerTransition) event);
      change.ifPresent(StatusVerticle::logReplicatedChange);
    }
  }

  /**
   * The circuit state of every service, for the probe side to continue from after a restart, with
   * the fingerprint of the check it belongs to when known: a circuit of another check is not
   * continued.
   */
  private void onCircuitsQuery(Message<JsonObject> message) {
    JsonObject circuits = new JsonObject();
    for (ServiceStatus status : board.services()) {
      JsonObject circuit =
          new JsonObject()
              .put("state", status.circuitState().jsonName())
              .put("consecutive_failures", status.consecutiveFailures());
      if (status.checkIdentity() != null) {
        circuit.put("check", status.checkIdentity());
      }
      circuits.put(status.name(), circuit);
    }
    message.reply(circuits);
  }

  /** This node's own events: applied, and the health changes they cause published. */
  private void onStatusEvents(Message<StatusEventBatch> message) {
    if (replication != null) {
      replication.recordOwn(message.body());
    }
    for (StatusEvent event : message.body().events()) {
      Optional<HealthTransition> change =
          event instanceof ProbeResult result
              ? board.apply(result)
              : board.apply((BreakerTransition) event);
      change.ifPresent(this::announce);
    }
    changed();
  }

  private void onConfigChanged(Message<JsonObject> message) {
    board.applyFleet(OrchestratorConfig.fromJson(message.body()).services(), clock.instant());
    changed();
  }

  private void onConfigStatus(Message<JsonObject> message) {
    board.setConfigError(message.body().getString("error"));
    changed();
  }

  /**
   * Drops the encoded snapshot after a change, within the handler that made it: whatever this
   * verticle answers afterwards (a trigger's results, for one) is never followed by an older
   * snapshot.
   */
  private void changed() {
    encoded = null;
    shared.invalidate();
  }

  private void onEncodedStatusQuery(Message<Object> message) {
    long now = clock.millis();
    if (message.body() instanceof JsonObject query) {
      if (query.getBoolean("results_only", false)) {
        message.reply(board.encodedResults(now));
        return;
      }
      if (query.getString("tag") != null) {
        message.reply(board.encodedSnapshotWithTag(now, query.getString("tag")));
        return;
      }
    }
    if (encoded == null || !encoded.isFreshAt(now)) {
      encoded = board.encodedSnapshot(now);
      shared.publish(encoded);
    }
    message.reply(encoded);
  }

  private void onStatusQuery(Message<JsonObject> message) {
    JsonObject query = message.body() == null ? new JsonObject() : message.body();
    Instant now = clock.instant();
    String service = query.getString("service");
    if (service != null) {
      Optional<JsonObject> snapshot = board.serviceSnapshot(now, service);
      snapshot.ifPresentOrElse(
          json -> message.reply(MessageSchema.stamp(json)),
          () -> message.fail(404, "no service named " + service));
      return;
    }
    String tag = query.getString("tag");
    message.reply(
        MessageSchema.stamp(tag == null ? board.snapshot(now) : board.snapshotWithTag(now, tag)));
  }

  private void onStatesQuery(Message<JsonObject> message) {
    JsonObject services = new JsonObject();
    board
        .services()
        .forEach(
            status ->
                services.put(
                    status.name(),
                    new JsonObject()
                        .put("health", status.health().jsonName())
                        .put("circuit_breaker_state", status.circuitState().jsonName())));
    message.reply(new JsonObject().put("services", services));
  }

  private void onHistoryQuery(Message<JsonObject> message) {
    JsonObject query = message.body() == null ? new JsonObject() : message.body();
    String name = query.getString("service");
    Optional<ServiceStatus> status = name == null ? Optional.empty() : board.service(name);
    if (status.isEmpty()) {
      message.fail(404, "no service named " + name);
      return;
    }
    int limit = query.getInteger("limit", Integer.MAX_VALUE);
    JsonArray results = new JsonArray();
    status.get().history().latest(limit).forEach(result -> results.add(result.toJson()));
    message.reply(
        new JsonObject()
            .put(MessageSchema.FIELD, MessageSchema.VERSION)
            .put("name", name)
            .put("results", results));
  }

  private void announce(HealthTransition change) {
    if (change.to() == HealthState.HEALTHY) {
      LOG.info(change.describe());
    } else {
      LOG.warn(change.describe());
    }
    vertx.eventBus().publish(EventBusAddresses.HEALTH_TRANSITIONS, change.toJson());
  }

  private static void logReplicatedChange(HealthTransition change) {
    LOG.debug("{} (probed by another node)", change.describe());
  }
}
