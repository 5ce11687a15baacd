package io.extrophi.orchestrator.bus;

import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;

/**
 * The version of the JSON shapes on the event bus, carried as {@value #FIELD} in every message the
 * orchestrator publishes or replies with, so that subscribers in other processes can tell a shape
 * they understand from a newer one. Fields are only ever added within a version; renaming or
 * removing one raises it.
 */
public final class MessageSchema {

  /** The name of the field that carries the version. */
  public static final String FIELD = "schema_version";

  /** The version of the shapes documented in the README. */
  public static final int VERSION = 1;

  private MessageSchema() {}

  /** A copy of {@code json} (shallow) with the schema version as its first field. */
  public static JsonObject stamp(JsonObject json) {
    JsonObject stamped = new JsonObject().put(FIELD, VERSION);
    json.forEach(entry -> stamped.put(entry.getKey(), entry.getValue()));
    return stamped;
  }

  /**
   * Removes the schema version from a reply that the HTTP API serves as it is: the HTTP shapes are
   * versioned by the API, not by the event bus.
   */
  public static JsonObject unstamp(JsonObject json) {
    json.remove(FIELD);
    return json;
  }

  /**
   * Delivery to this process only: internal requests (the HTTP API asking its own status verticle,
   * the probe side handing its results over) must never be answered by another node of a cluster.
   */
  public static DeliveryOptions localDelivery(long timeoutMs) {
    return new DeliveryOptions().setLocalOnly(true).setSendTimeout(timeoutMs);
  }

  /** See {@link #localDelivery(long)}; with the default send timeout. */
  public static DeliveryOptions localDelivery() {
    return new DeliveryOptions().setLocalOnly(true);
  }

  /**
   * The failure code to pass on when a request made on behalf of another failed: the recipient's
   * own code (a deliberate 404, 422, 503) when it refused, else 503 (no handler, a timeout).
   */
  public static int failureCodeOf(Throwable failure) {
    return failure instanceof ReplyException reply
            && reply.failureType() == ReplyFailure.RECIPIENT_FAILURE
        ? reply.failureCode()
        : 503;
  }
}
