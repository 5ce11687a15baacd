package io.extrophi.orchestrator.status;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;

/**
 * Where the status verticle leaves the latest {@link EncodedSnapshot} for the HTTP API of the same
 * Vert.x instance to serve without a message per request. The status verticle is the only writer:
 * it removes the snapshot whenever the status changes, before it answers anything that follows the
 * change, so a reader never serves a snapshot older than a change it could know about.
 */
public final class SharedSnapshot {

  private static final String MAP_NAME = "orchestrator.status.snapshot";
  private static final String KEY = "full";

  private final LocalMap<String, EncodedSnapshot> map;

  private SharedSnapshot(LocalMap<String, EncodedSnapshot> map) {
    this.map = map;
  }

  public static SharedSnapshot of(Vertx vertx) {
    return new SharedSnapshot(vertx.sharedData().getLocalMap(MAP_NAME));
  }

  /** The snapshot to serve at {@code nowMillis}, or {@code null} when there is none fresh. */
  public EncodedSnapshot fresh(long nowMillis) {
    EncodedSnapshot snapshot = map.get(KEY);
    return snapshot != null && snapshot.isFreshAt(nowMillis) ? snapshot : null;
  }

  void publish(EncodedSnapshot snapshot) {
    map.put(KEY, snapshot);
  }

  void invalidate() {
    map.remove(KEY);
  }
}
