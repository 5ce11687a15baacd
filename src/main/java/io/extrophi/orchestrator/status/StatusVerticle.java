package io.extrophi.orchestrator.status;

import io.extrophi.orchestrator.bus.BreakerTransition;
import io.extrophi.orchestrator.bus.EventBusAddresses;
import io.extrophi.orchestrator.bus.LocalOnlyCodec;
import io.extrophi.orchestrator.bus.ProbeResult;
import io.extrophi.orchestrator.bus.ProbeResultBatch;
import io.extrophi.orchestrator.config.OrchestratorConfig;
import io.extrophi.orchestrator.state.StateFile;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
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
 * from the event bus, logs health changes, and answers {@link EventBusAddresses#STATUS_QUERY} and
 * {@link EventBusAddresses#HISTORY_QUERY}.
 */
public final class StatusVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(StatusVerticle.class);

  /** Services encoded per chunk of the state file: about 2-5 MB with every statistic full. */
  private static final int SERVICES_PER_CHUNK = 256;

  /** Writing the state takes at most one part in this many of the time. */
  private static final long FLUSH_PACING = 20;

  private final Clock clock;
  private final OrchestratorConfig config;
  private StatusBoard board;
  private SharedSnapshot shared;
  private EncodedSnapshot encoded;
  private StateFile stateFile;
  private long flushTimer = -1;
  private Future<Void> lastFlush = Future.succeededFuture();
  private long nextFlushNanos = System.nanoTime();
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
    this.config = config;
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    board = new StatusBoard(config.services(), config.runtime().historySize());
    shared = SharedSnapshot.of(vertx);
    // A snapshot left by an earlier deployment in this Vert.x instance is not this board's.
    shared.invalidate();
    String dataDir = config.runtime().dataDir();
    stateFile = dataDir == null ? null : new StateFile(vertx, dataDir, clock);
    return restoreSavedState(config.runtime().historySize())
        .compose(restored -> registerConsumers())
        .onSuccess(registered -> scheduleFlushes(config.runtime().stateFlushInterval()));
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(flushTimer);
    shared.invalidate();
    // The last flush on the way out: a clean shutdown loses nothing.
    return flush(false);
  }

  private Future<Void> restoreSavedState(int historySize) {
    if (stateFile == null) {
      return Future.succeededFuture();
    }
    Instant restartedAt = clock.instant();
    return stateFile
        .read(payload -> StatusStateCodec.decode(payload, historySize, restartedAt))
        .onSuccess(
            saved ->
                saved.ifPresent(
                    services -> {
                      board.restore(services);
                      changed();
                      LOG.info(
                          "restored the state of {} services from {}",
                          services.size(),
                          stateFile.path());
                    }))
        .mapEmpty();
  }

  private void scheduleFlushes(Duration every) {
    if (stateFile != null) {
      flushTimer = vertx.setPeriodic(every.toMillis(), tick -> flush(true));
    }
  }

  /**
   * Writes the state if it changed; one write at a time, so files never interleave. The state is
   * encoded and written {@link #SERVICES_PER_CHUNK} services at a time, so a large fleet's state
   * (about 20 KB per service with every statistic full) neither sits in the heap whole nor blocks
   * the event loop while it is encoded.
   *
   * @param paced whether to skip the write while the pause after the last one lasts: the periodic
   *     flushes are paced so that writing the state takes at most 1/{@link #FLUSH_PACING} of the
   *     time; the last flush on the way out is not
   */
  private Future<Void> flush(boolean paced) {
    if (stateFile == null) {
      return Future.succeededFuture();
    }
    lastFlush =
        lastFlush.transform(
            previous -> {
              if (!board.isDirty() || (paced && System.nanoTime() < nextFlushNanos)) {
                return Future.succeededFuture();
              }
              List<ServiceStatus> services = new ArrayList<>();
              board.services().forEach(services::add);
              board.markSaved();
              long started = System.nanoTime();
              return stateFile
                  .write(StatusStateCodec.chunks(services, SERVICES_PER_CHUNK))
                  .onSuccess(
                      written -> {
                        long took = System.nanoTime() - started;
                        nextFlushNanos = System.nanoTime() + (FLUSH_PACING - 1) * took;
                      })
                  .onFailure(
                      failure -> {
                        // Still to be saved: the next flush tries again.
                        board.markDirty();
                        LOG.warn("could not write {}: {}", stateFile.path(), failure.getMessage());
                      });
            });
    return lastFlush;
  }

  private Future<?> registerConsumers() {
    EventBus bus = vertx.eventBus();
    ProbeResultBatch.registerCodec(bus);
    LocalOnlyCodec.register(bus, EncodedSnapshot.class);
    consumers =
        List.of(
            bus.<ProbeResultBatch>localConsumer(
                EventBusAddresses.PROBE_RESULT_BATCHES, this::onProbeResults),
            bus.consumer(EventBusAddresses.BREAKER_TRANSITIONS, this::onBreakerTransition),
            bus.consumer(EventBusAddresses.STATUS_QUERY, this::onStatusQuery),
            bus.localConsumer(EventBusAddresses.ENCODED_STATUS_QUERY, this::onEncodedStatusQuery),
            bus.consumer(EventBusAddresses.HISTORY_QUERY, this::onHistoryQuery),
            bus.consumer(EventBusAddresses.CONFIG_CHANGED, this::onConfigChanged),
            bus.consumer(EventBusAddresses.CONFIG_STATUS, this::onConfigStatus),
            bus.consumer(EventBusAddresses.CIRCUITS_QUERY, this::onCircuitsQuery));
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList());
  }

  /** The circuit state of every service, for the probe side to continue from after a restart. */
  private void onCircuitsQuery(Message<JsonObject> message) {
    JsonObject circuits = new JsonObject();
    for (ServiceStatus status : board.services()) {
      circuits.put(
          status.name(),
          new JsonObject()
              .put("state", status.circuitState().jsonName())
              .put("consecutive_failures", status.consecutiveFailures()));
    }
    message.reply(circuits);
  }

  private void onProbeResults(Message<ProbeResultBatch> message) {
    for (ProbeResult result : message.body().results()) {
      logChange(board.apply(result));
    }
    changed();
  }

  private void onBreakerTransition(Message<JsonObject> message) {
    logChange(board.apply(BreakerTransition.fromJson(message.body())));
    changed();
  }

  private void onConfigChanged(Message<JsonObject> message) {
    board.applyFleet(OrchestratorConfig.fromJson(message.body()).services());
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
          message::reply, () -> message.fail(404, "no service named " + service));
      return;
    }
    String tag = query.getString("tag");
    message.reply(tag == null ? board.snapshot(now) : board.snapshotWithTag(now, tag));
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
    message.reply(new JsonObject().put("name", name).put("results", results));
  }

  private static void logChange(Optional<StatusBoard.HealthChange> change) {
    change.ifPresent(
        c -> {
          String line =
              "health " + c.service() + ": " + c.from().jsonName() + " -> " + c.to().jsonName();
          if (c.to() == HealthState.HEALTHY) {
            LOG.info(line);
          } else {
            LOG.warn(line);
          }
        });
  }
}
