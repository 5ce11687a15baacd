package io.extrophi.orchestrator.status;

import io.extrophi.orchestrator.bus.BreakerTransition;
import io.extrophi.orchestrator.bus.EventBusAddresses;
import io.extrophi.orchestrator.bus.ProbeResult;
import io.extrophi.orchestrator.config.OrchestratorConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
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

  private final Clock clock;
  private StatusBoard board;
  private List<MessageConsumer<JsonObject>> consumers = List.of();

  public StatusVerticle() {
    this(Clock.systemUTC());
  }

  /**
   * @param clock source of the snapshot timestamps and of the statistics' time windows
   */
  public StatusVerticle(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    OrchestratorConfig config = OrchestratorConfig.fromJson(config());
    board = new StatusBoard(config.services(), config.runtime().historySize());
    EventBus bus = vertx.eventBus();
    consumers =
        List.of(
            bus.consumer(EventBusAddresses.PROBE_RESULTS, this::onProbeResult),
            bus.consumer(EventBusAddresses.BREAKER_TRANSITIONS, this::onBreakerTransition),
            bus.consumer(EventBusAddresses.STATUS_QUERY, this::onStatusQuery),
            bus.consumer(EventBusAddresses.HISTORY_QUERY, this::onHistoryQuery),
            bus.consumer(EventBusAddresses.CONFIG_CHANGED, this::onConfigChanged),
            bus.consumer(EventBusAddresses.CONFIG_STATUS, this::onConfigStatus));
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList());
  }

  private void onProbeResult(Message<JsonObject> message) {
    logChange(board.apply(ProbeResult.fromJson(message.body())));
  }

  private void onBreakerTransition(Message<JsonObject> message) {
    logChange(board.apply(BreakerTransition.fromJson(message.body())));
  }

  private void onConfigChanged(Message<JsonObject> message) {
    board.applyFleet(OrchestratorConfig.fromJson(message.body()).services());
  }

  private void onConfigStatus(Message<JsonObject> message) {
    board.setConfigError(message.body().getString("error"));
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
