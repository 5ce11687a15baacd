package io.extrophi.orchestrator.status;

import io.extrophi.orchestrator.bus.EventBusAddresses;
import io.extrophi.orchestrator.bus.LocalOnlyCodec;
import io.extrophi.orchestrator.bus.StatusEventBatch;
import io.extrophi.orchestrator.cluster.ClusterMembership;
import io.extrophi.orchestrator.config.OrchestratorConfig;
import io.extrophi.orchestrator.state.PersistenceStatus;
import io.extrophi.orchestrator.state.StateSaver;
import io.extrophi.orchestrator.view.EncodedSnapshot;
import io.extrophi.orchestrator.view.StatusReadModel;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the status snapshot: consumes probe results, circuit transitions and configuration changes
 * from the event bus, logs and publishes health changes ({@link
 * EventBusAddresses#HEALTH_TRANSITIONS}), and answers {@link EventBusAddresses#STATUS_QUERY} and
 * {@link EventBusAddresses#HISTORY_QUERY}.
 *
 * <p>{@link OwnEvents} applies this node's own events and publishes the changes they cause; {@link
 * StatusQueries} answers the questions. In a cluster its {@link ClusterSync} applies the events the
 * other nodes replicate and copies a live node's state at the start. Health changes are published
 * by the node that probed.
 */
public final class StatusVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(StatusVerticle.class);

  /**
   * Services encoded per chunk of the state file: about 1 MB with every statistic full. Small
   * enough to die young: bigger chunks outgrew the survivor space and filled the old generation.
   */
  private static final int SERVICES_PER_CHUNK = 64;

  /**
   * Services decoded per task on a worker thread at the start (a few hundred milliseconds with
   * every statistic full): the decoding of a large state leaves the event loop free.
   */
  private static final int SERVICES_PER_DECODED_SLICE = 2_000;

  private final Clock clock;
  private final OrchestratorConfig config;
  private final ClusterMembership cluster;

  /** The cluster replication; {@code null} in a single process. */
  private ClusterSync clusterSync;

  private StatusBoard board;
  private StatusReadModel readModel;
  private StatusQueries queries;
  private OwnEvents ownEvents;

  /** Saves the board; {@code null} without a data directory. */
  private StateSaver saver;

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
    readModel = StatusReadModel.of(vertx);
    // A snapshot left by an earlier deployment in this Vert.x instance is not this board's.
    readModel.invalidate();
    String dataDir = config.runtime().dataDir();
    saver = dataDir == null ? null : new StateSaver(vertx, dataDir, clock, new BoardChanges());
    return (saver == null ? Future.<Void>succeededFuture() : saver.claim())
        // Built on a worker thread: the fingerprint of every check (a SHA-256 each) held the event
        // loop for seconds at 100,000 services.
        .compose(
            locked ->
                vertx.executeBlocking(
                    () -> new StatusBoard(config.services(), config.runtime().historySize()),
                    false))
        .compose(
            built -> {
              board = built;
              queries = new StatusQueries(board, clock, readModel, context);
              ownEvents = new OwnEvents(vertx.eventBus(), board);
              return restoreSavedState(config.runtime().historySize());
            })
        .compose(restored -> registerConsumers())
        .compose(
            registered -> clusterSync == null ? Future.succeededFuture() : clusterSync.copyState())
        .onSuccess(
            registered -> {
              if (saver != null) {
                saver.flushEvery(config.runtime().stateFlushInterval());
              }
              // Restored from the state file (or copied from another node), not built from events.
              announceReplaced();
            })
        // A failed start is never stopped: the lock would outlive it.
        .recover(
            failed ->
                (saver == null ? Future.<Void>succeededFuture() : saver.release())
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
    readModel.invalidate();
    return saver == null ? Future.succeededFuture() : saver.stop();
  }

  /** The board as the {@link StateSaver} writes it: the services that changed, in chunks. */
  private final class BoardChanges implements StateSaver.Source {
    @Override
    public Supplier<Buffer> takeChanges() {
      if (!board.isDirty()) {
        return null;
      }
      List<ServiceStatus> services = new ArrayList<>();
      board.services().forEach(services::add);
      board.markSaved();
      return StatusStateCodec.chunks(
          services, SERVICES_PER_CHUNK, board.removedServices().section());
    }

    @Override
    public void notWritten() {
      board.markDirty();
    }
  }

  private Future<Void> restoreSavedState(int historySize) {
    if (saver == null) {
      return Future.succeededFuture();
    }
    Instant restartedAt = clock.instant();
    long started = System.nanoTime();
    return saver
        .readAsync(
            payload ->
                StatusStateCodec.decodeSavedInSlices(
                    vertx, payload, historySize, restartedAt, SERVICES_PER_DECODED_SLICE))
        .onSuccess(
            read ->
                read.ifPresent(
                    saved -> {
                      board.restore(saved, restartedAt);
                      changed();
                      LOG.info(
                          "restored the state of {} services from {} in {} ms ({} removed ones"
                              + " kept aside)",
                          saved.services().size(),
                          saver.path(),
                          (System.nanoTime() - started) / 1_000_000,
                          board.removedServices().size());
                    }))
        .mapEmpty();
  }

  private void onPersistenceQuery(Message<JsonObject> message) {
    message.reply((saver == null ? PersistenceStatus.disabled() : saver.status()).toMessage());
  }

  private Future<?> registerConsumers() {
    EventBus bus = vertx.eventBus();
    StatusEventBatch.registerCodec(bus);
    LocalOnlyCodec.register(bus, EncodedSnapshot.class);
    List<MessageConsumer<?>> registered = new ArrayList<>();
    registered.add(
        bus.<StatusEventBatch>localConsumer(
            EventBusAddresses.STATUS_EVENT_BATCHES, this::onStatusEvents));
    registered.add(bus.consumer(EventBusAddresses.STATUS_QUERY, queries::onStatusQuery));
    registered.add(
        bus.localConsumer(EventBusAddresses.ENCODED_STATUS_QUERY, queries::onEncodedStatusQuery));
    registered.add(bus.consumer(EventBusAddresses.HISTORY_QUERY, queries::onHistoryQuery));
    registered.add(bus.consumer(EventBusAddresses.COMPONENTS_QUERY, queries::onComponentsQuery));
    registered.add(bus.localConsumer(EventBusAddresses.STATES_QUERY, queries::onStatesQuery));
    registered.add(bus.localConsumer(EventBusAddresses.CONFIG_CHANGED, this::onConfigChanged));
    registered.add(bus.localConsumer(EventBusAddresses.CONFIG_STATUS, this::onConfigStatus));
    registered.add(bus.localConsumer(EventBusAddresses.CIRCUITS_QUERY, queries::onCircuitsQuery));
    registered.add(
        bus.localConsumer(EventBusAddresses.PERSISTENCE_QUERY, this::onPersistenceQuery));
    if (cluster != null) {
      clusterSync =
          new ClusterSync(
              vertx,
              cluster,
              board,
              config.runtime().historySize(),
              clock,
              this::changed,
              this::announceReplaced);
      registered.addAll(clusterSync.register(bus));
    }
    consumers = List.copyOf(registered);
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList());
  }

  /** This node's own events: applied, and the changes they cause published. */
  private void onStatusEvents(Message<StatusEventBatch> message) {
    if (clusterSync != null) {
      clusterSync.recordOwn(message.body());
    }
    ownEvents.apply(message.body());
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

  /** The status changed: what was encoded of it is no longer true. */
  private void changed() {
    queries.changed();
  }
}
