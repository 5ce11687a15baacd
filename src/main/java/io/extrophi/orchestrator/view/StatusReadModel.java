package io.extrophi.orchestrator.view;

import io.extrophi.orchestrator.bus.EventBusAddresses;
import io.extrophi.orchestrator.bus.MessageSchema;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import java.time.Instant;

/**
 * The status as the HTTP API reads it: the body of {@code GET /health/status} (whole, or the
 * services a {@link FleetQuery} selects). The status verticle leaves the latest {@link
 * EncodedSnapshot} here after encoding it, and the HTTP API of the same Vert.x instance serves it
 * without a message per request; when there is none fresh, it is asked for on {@link
 * EventBusAddresses#ENCODED_STATUS_QUERY}.
 *
 * <p>The status verticle is the only writer: it removes the snapshot whenever the status changes,
 * before it answers anything that follows the change, so a reader never serves a snapshot older
 * than a change it could know about.
 *
 * <p>The snapshot lives in one slot per Vert.x instance, found once through a local map: a read per
 * request is then one volatile read, not a map lookup (which took 8 % of the status path).
 */
public final class StatusReadModel {

  private static final String MAP_NAME = "orchestrator.status.snapshot";
  private static final String KEY = "slot";

  /**
   * The status verticle encodes a large fleet over many turns of its loop, between the probe
   * results it applies: at 100,000 services, all of them changing, that takes seconds, and a query
   * that comes after a change waits for the encoding after the one under way.
   */
  private static final long QUERY_TIMEOUT_MS = 60_000;

  private final Vertx vertx;
  private final Slot slot;

  /** The one mutable cell every {@link StatusReadModel} of a Vert.x instance shares. */
  private static final class Slot implements Shareable {
    private volatile EncodedSnapshot current;
  }

  private StatusReadModel(Vertx vertx, Slot slot) {
    this.vertx = vertx;
    this.slot = slot;
  }

  public static StatusReadModel of(Vertx vertx) {
    LocalMap<String, Slot> map = vertx.sharedData().getLocalMap(MAP_NAME);
    Slot fresh = new Slot();
    Slot existing = map.putIfAbsent(KEY, fresh);
    return new StatusReadModel(vertx, existing != null ? existing : fresh);
  }

  /**
   * The body of {@code GET /health/status} when a fresh snapshot is at hand, served without a
   * message; {@code null} when there is none (then ask {@link #snapshot()}).
   */
  public EncodedSnapshot freshSnapshot(long nowMillis) {
    return fresh(nowMillis);
  }

  /**
   * The body of {@code GET /health/status}: the fresh snapshot, or else asked for (and so encoded
   * once for all the requests after this one).
   */
  public Future<EncodedSnapshot> snapshot() {
    EncodedSnapshot fresh = fresh(System.currentTimeMillis());
    return fresh != null ? Future.succeededFuture(fresh) : encoded(null);
  }

  /** The body of {@code GET /health/status} as one buffer, for the event stream's snapshots. */
  public Future<Buffer> status() {
    return snapshot().map(snapshot -> snapshot.render(Instant.now()));
  }

  /**
   * The body of {@code GET /health/status?tag=…&health=…&limit=…&cursor=…}: encoded for this
   * request, not shared.
   */
  public Future<EncodedSnapshot> selection(FleetQuery query) {
    return query.isAll() ? snapshot() : encoded(query.toJson());
  }

  private Future<EncodedSnapshot> encoded(JsonObject query) {
    return vertx
        .eventBus()
        .<EncodedSnapshot>request(
            EventBusAddresses.ENCODED_STATUS_QUERY,
            query,
            MessageSchema.localDelivery(QUERY_TIMEOUT_MS))
        .map(reply -> reply.body());
  }

  /** The snapshot to serve at {@code nowMillis}, or {@code null} when there is none fresh. */
  private EncodedSnapshot fresh(long nowMillis) {
    EncodedSnapshot snapshot = slot.current;
    return snapshot != null && snapshot.isFreshAt(nowMillis) ? snapshot : null;
  }

  /** For the status verticle only: the snapshot it just encoded. */
  public void publish(EncodedSnapshot snapshot) {
    slot.current = snapshot;
  }

  /** For the status verticle only: the status changed, the snapshot is no longer true. */
  public void invalidate() {
    slot.current = null;
  }
}
