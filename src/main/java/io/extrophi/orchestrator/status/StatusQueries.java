package io.extrophi.orchestrator.status;

import io.extrophi.orchestrator.bus.EventBusAddresses;
import io.extrophi.orchestrator.bus.MessageSchema;
import io.extrophi.orchestrator.view.EncodedSnapshot;
import io.extrophi.orchestrator.view.FleetQuery;
import io.extrophi.orchestrator.view.StatusJson;
import io.extrophi.orchestrator.view.StatusReadModel;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Answers the questions asked of the status ({@link EventBusAddresses#STATUS_QUERY}, {@link
 * EventBusAddresses#ENCODED_STATUS_QUERY}, {@link EventBusAddresses#HISTORY_QUERY}, {@link
 * EventBusAddresses#STATES_QUERY}, {@link EventBusAddresses#CIRCUITS_QUERY}) from the {@link
 * StatusBoard}, and keeps the encoded snapshot the {@link StatusReadModel} serves. Runs on the
 * {@link StatusVerticle}'s context.
 */
final class StatusQueries {

  private final StatusBoard board;
  private final Clock clock;
  private final StatusReadModel readModel;
  private EncodedSnapshot encoded;

  StatusQueries(StatusBoard board, Clock clock, StatusReadModel readModel) {
    this.board = board;
    this.clock = clock;
    this.readModel = readModel;
  }

  /**
   * Drops the encoded snapshot after a change, within the handler that made it: whatever the status
   * verticle answers afterwards (a trigger's results, for one) is never followed by an older
   * snapshot.
   */
  void changed() {
    encoded = null;
    readModel.invalidate();
  }

  /**
   * The circuit state of every service, for the probe side to continue from after a restart, with
   * the fingerprint of the check it belongs to when known: a circuit of another check is not
   * continued.
   */
  void onComponentsQuery(Message<JsonObject> message) {
    message.reply(StatusJson.components(board.services()));
  }

  void onCircuitsQuery(Message<JsonObject> message) {
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

  void onEncodedStatusQuery(Message<Object> message) {
    long now = clock.millis();
    if (message.body() instanceof JsonObject query) {
      if (query.getBoolean("results_only", false)) {
        message.reply(board.encodedResults(now));
        return;
      }
      FleetQuery selection = FleetQuery.fromJson(query);
      if (!selection.isAll()) {
        message.reply(board.encodedSelection(now, selection));
        return;
      }
    }
    if (encoded == null || !encoded.isFreshAt(now)) {
      encoded = board.encodedSnapshot(now);
      readModel.publish(encoded);
    }
    message.reply(encoded);
  }

  void onStatusQuery(Message<JsonObject> message) {
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

  void onStatesQuery(Message<JsonObject> message) {
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

  void onHistoryQuery(Message<JsonObject> message) {
    JsonObject query = message.body() == null ? new JsonObject() : message.body();
    String name = query.getString("service");
    Optional<ServiceStatus> status = name == null ? Optional.empty() : board.service(name);
    if (status.isEmpty()) {
      message.fail(404, "no service named " + name);
      return;
    }
    int limit = query.getInteger("limit", Integer.MAX_VALUE);
    message.reply(StatusJson.history(name, status.get().history().latest(limit)));
  }
}
