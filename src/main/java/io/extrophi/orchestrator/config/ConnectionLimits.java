package io.extrophi.orchestrator.config;

import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * How long and how many connections the API keeps: what stops idle, slow and excess clients from
 * taking the descriptors that probes and the state file need.
 *
 * @param idleTimeout a connection that neither sends nor receives for this long is closed
 * @param requestTimeout a request's head and body must have arrived this long after the connection
 *     opened (or, on a kept-alive connection, this long plus {@code idleTimeout} after the previous
 *     answer); otherwise 408 and the connection is closed
 * @param maxConnections the most API connections open at once; further ones are closed at once
 */
public record ConnectionLimits(Duration idleTimeout, Duration requestTimeout, int maxConnections) {

  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);

  /** Half the common soft limit of 1,024 open files: the other half is for probes and files. */
  public static final int DEFAULT_MAX_CONNECTIONS = 512;

  static final int MAX_MAX_CONNECTIONS = 1_000_000;

  public static ConnectionLimits defaults() {
    return new ConnectionLimits(
        DEFAULT_IDLE_TIMEOUT, DEFAULT_REQUEST_TIMEOUT, DEFAULT_MAX_CONNECTIONS);
  }

  /** Reads and checks {@code HTTP_IDLE_TIMEOUT}, {@code HTTP_REQUEST_TIMEOUT} and the cap. */
  public static ConnectionLimits from(ConfigValues values) {
    return new ConnectionLimits(
        values.seconds(ConfigKeys.HTTP_IDLE_TIMEOUT),
        values.seconds(ConfigKeys.HTTP_REQUEST_TIMEOUT),
        values.wholeNumber(ConfigKeys.HTTP_MAX_CONNECTIONS, 1, MAX_MAX_CONNECTIONS));
  }

  static ConnectionLimits fromJson(JsonObject json) {
    if (json == null) {
      return defaults();
    }
    return new ConnectionLimits(
        Duration.ofMillis(json.getLong("idle_timeout_ms")),
        Duration.ofMillis(json.getLong("request_timeout_ms")),
        json.getInteger("max_connections"));
  }

  JsonObject toJson() {
    return new JsonObject()
        .put("idle_timeout_ms", idleTimeout.toMillis())
        .put("request_timeout_ms", requestTimeout.toMillis())
        .put("max_connections", maxConnections);
  }
}
