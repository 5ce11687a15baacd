package io.extrophi.orchestrator.status;

import io.extrophi.orchestrator.bus.EventBusAddresses;
import io.extrophi.orchestrator.bus.MessageSchema;
import io.extrophi.orchestrator.view.EncodedSnapshot;
import io.extrophi.orchestrator.view.FleetQuery;
import io.extrophi.orchestrator.view.StatusJson;
import io.extrophi.orchestrator.view.StatusReadModel;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Answers the questions asked of the status ({@link EventBusAddresses#STATUS_QUERY}, {@link
 * EventBusAddresses#ENCODED_STATUS_QUERY}, {@link EventBusAddresses#HISTORY_QUERY}, {@link
 * EventBusAddresses#STATES_QUERY}, {@link EventBusAddresses#CIRCUITS_QUERY}) from the {@link
 * StatusBoard}, and keeps the encoded snapshot the {@link StatusReadModel} serves. Runs on the
 * {@link StatusVerticle}'s context.
 */
final class StatusQueries {

  /**
   * Services encoded per turn of the event loop for {@code GET /health/status}: a few milliseconds
   * of work. At 100,000 services the whole fleet in one turn held the loop for 5 s.
   */
  static final int SERVICES_PER_ENCODED_SLICE = 1_000;

  private final StatusBoard board;
  private final Clock clock;
  private final StatusReadModel readModel;
  private final Context context;
  private EncodedSnapshot encoded;

  /** Counts the changes: a snapshot encoded while one came is an answer, not kept as fresh. */
  private long changes;

  /** The snapshot being encoded, with the queries it answers; {@code null} when none is. */
  private Encoding encoding;

  /** Queries that came after a change during the encoding: the next encoding answers them. */
  private final List<Message<Object>> afterTheEncoding = new ArrayList<>();

  /** A snapshot being encoded over several turns, and the queries that wait for it. */
  private record Encoding(long changesAtStart, List<Message<Object>> queries) {}

  StatusQueries(StatusBoard board, Clock clock, StatusReadModel readModel, Context context) {
    this.board = board;
    this.clock = clock;
    this.readModel = readModel;
    this.context = context;
  }

  /**
   * Drops the encoded snapshot after a change, within the handler that made it: whatever the status
   * verticle answers afterwards (a trigger's results, for one) is never followed by an older
   * snapshot.
   */
  void changed() {
    encoded = null;
    changes++;
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
      // Encoded for this query alone, begun after it: no change it could know of is missing.
      if (query.getBoolean("results_only", false)) {
        board
            .encodedResultsInTurns(context, now, SERVICES_PER_ENCODED_SLICE)
            .onComplete(done -> answer(message, done));
        return;
      }
      FleetQuery selection = FleetQuery.fromJson(query);
      if (!selection.isAll()) {
        board
            .encodedSelectionInTurns(context, now, selection, SERVICES_PER_ENCODED_SLICE)
            .onComplete(done -> answer(message, done));
        return;
      }
    }
    if (encoded != null && encoded.isFreshAt(now)) {
      message.reply(encoded);
    } else if (encoding == null) {
      encodeFor(new ArrayList<>(List.of(message)));
    } else if (encoding.changesAtStart() == changes) {
      // Nothing changed since that encoding began: it is as fresh as one begun now.
      encoding.queries().add(message);
    } else {
      afterTheEncoding.add(message);
    }
  }

  private static void answer(Message<Object> query, AsyncResult<EncodedSnapshot> encoding) {
    if (encoding.succeeded()) {
      query.reply(encoding.result());
    } else {
      query.fail(500, "status encoding: " + encoding.cause());
    }
  }

  /**
   * Encodes the whole fleet a slice of services per turn (see {@link
   * StatusBoard#encodedSnapshotInTurns}) and answers {@code queries} with it; kept as the fresh
   * snapshot only if nothing changed meanwhile.
   */
  private void encodeFor(List<Message<Object>> queries) {
    encoding = new Encoding(changes, queries);
    board
        .encodedSnapshotInTurns(context, clock.millis(), SERVICES_PER_ENCODED_SLICE)
        .onComplete(
            done -> {
              Encoding finished = encoding;
              encoding = null;
              if (done.succeeded() && changes == finished.changesAtStart()) {
                encoded = done.result();
                readModel.publish(encoded);
              }
              finished.queries().forEach(query -> answer(query, done));
              if (!afterTheEncoding.isEmpty()) {
                List<Message<Object>> next = new ArrayList<>(afterTheEncoding);
                afterTheEncoding.clear();
                encodeFor(next);
              }
            });
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
