package io.extrophi.orchestrator.status;

import io.extrophi.orchestrator.bus.BreakerTransition;
import io.extrophi.orchestrator.bus.EventBusAddresses;
import io.extrophi.orchestrator.bus.ProbeResult;
import io.extrophi.orchestrator.config.OrchestratorConfig;
import io.extrophi.orchestrator.config.ServiceDefinition;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the status snapshot: consumes probe results and circuit transitions from the event bus,
 * logs health changes, and answers {@link EventBusAddresses#STATUS_QUERY}.
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
   * @param clock source of the snapshot timestamps
   */
  public StatusVerticle(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    OrchestratorConfig config = OrchestratorConfig.fromJson(config());
    board = new StatusBoard(config.services().stream().map(ServiceDefinition::name).toList());
    EventBus bus = vertx.eventBus();
    consumers =
        List.of(
            bus.consumer(EventBusAddresses.PROBE_RESULTS, this::onProbeResult),
            bus.consumer(EventBusAddresses.BREAKER_TRANSITIONS, this::onBreakerTransition),
            bus.consumer(EventBusAddresses.STATUS_QUERY, this::onStatusQuery));
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList());
  }

  private void onProbeResult(Message<JsonObject> message) {
    logChange(board.apply(ProbeResult.fromJson(message.body())));
  }

  private void onBreakerTransition(Message<JsonObject> message) {
    logChange(board.apply(BreakerTransition.fromJson(message.body())));
  }

  private void onStatusQuery(Message<JsonObject> message) {
    message.reply(board.snapshot(clock.instant()));
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
