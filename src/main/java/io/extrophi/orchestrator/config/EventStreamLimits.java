package io.extrophi.orchestrator.config;

import io.vertx.core.json.JsonObject;

/**
 * What clients of {@code GET /health/events} may hold of the orchestrator's memory. Every byte
 * written to a stream counts until the connection has handed it to the operating system, so a
 * client that stops reading pins at most {@code clientBufferBytes} before it is disconnected, and
 * all of them together at most {@code totalBufferBytes}.
 *
 * @param maxClients the most streams open at once; one more is refused with 503 and {@code
 *     Retry-After}
 * @param clientBufferBytes the most bytes queued for one client; a write beyond it disconnects the
 *     client (a snapshot counts whole, so this must exceed the size of {@code GET /health/status})
 * @param totalBufferBytes the most bytes queued for all clients together; a write beyond it
 *     disconnects the clients furthest behind until it fits
 */
public record EventStreamLimits(int maxClients, int clientBufferBytes, int totalBufferBytes) {

  public static final int DEFAULT_MAX_CLIENTS = 256;

  /** Three snapshots of 3,000 services (1.15 MB each) and then some. */
  public static final int DEFAULT_CLIENT_BUFFER_BYTES = 4 * 1024 * 1024;

  /** A sixth of the shipped 384 MB heap (conf/jvm.options). */
  public static final int DEFAULT_TOTAL_BUFFER_BYTES = 64 * 1024 * 1024;

  static final int MAX_MAX_CLIENTS = 100_000;
  static final int MIN_CLIENT_BUFFER_BYTES = 64 * 1024;
  static final int MAX_CLIENT_BUFFER_BYTES = 1024 * 1024 * 1024;

  public static EventStreamLimits defaults() {
    return new EventStreamLimits(
        DEFAULT_MAX_CLIENTS, DEFAULT_CLIENT_BUFFER_BYTES, DEFAULT_TOTAL_BUFFER_BYTES);
  }

  /**
   * Reads and checks the {@code EVENT_STREAM_*} settings: the total budget must hold at least one
   * client's.
   */
  public static EventStreamLimits from(ConfigValues values) {
    int clientBytes =
        values.wholeNumber(
            ConfigKeys.EVENT_STREAM_CLIENT_BUFFER_BYTES,
            MIN_CLIENT_BUFFER_BYTES,
            MAX_CLIENT_BUFFER_BYTES);
    Object total = values.raw(ConfigKeys.EVENT_STREAM_TOTAL_BUFFER_BYTES);
    int totalBytes =
        values.wholeNumber(ConfigKeys.EVENT_STREAM_TOTAL_BUFFER_BYTES, total, 1, Integer.MAX_VALUE);
    if (totalBytes < clientBytes) {
      throw values.invalid(
          ConfigKeys.EVENT_STREAM_TOTAL_BUFFER_BYTES,
          total,
          "must not be below "
              + ConfigKeys.EVENT_STREAM_CLIENT_BUFFER_BYTES
              + " ("
              + clientBytes
              + ")");
    }
    return new EventStreamLimits(
        values.wholeNumber(ConfigKeys.EVENT_STREAM_MAX_CLIENTS, 1, MAX_MAX_CLIENTS),
        clientBytes,
        totalBytes);
  }

  /**
   * The most bytes one client may have queued when the latest snapshot has {@code snapshotBytes}.
   * The default budget grows to two snapshots (the one on its way and a fresh one for a client that
   * fell behind): a snapshot counts whole, and without that every client of a fleet of 10,000
   * services (a 4 MB snapshot) would be disconnected on connecting. Any other budget is one an
   * operator chose, and is kept to the byte; the budget of all clients bounds the memory either
   * way.
   */
  public long clientBudget(long snapshotBytes) {
    return clientBufferBytes == DEFAULT_CLIENT_BUFFER_BYTES
        ? Math.max(clientBufferBytes, 2 * snapshotBytes)
        : clientBufferBytes;
  }

  public static EventStreamLimits fromJson(JsonObject json) {
    if (json == null) {
      return defaults();
    }
    return new EventStreamLimits(
        json.getInteger("max_clients"),
        json.getInteger("client_buffer_bytes"),
        json.getInteger("total_buffer_bytes"));
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("max_clients", maxClients)
        .put("client_buffer_bytes", clientBufferBytes)
        .put("total_buffer_bytes", totalBufferBytes);
  }
}
