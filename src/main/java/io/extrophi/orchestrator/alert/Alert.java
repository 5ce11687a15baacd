package io.extrophi.orchestrator.alert;

import io.extrophi.orchestrator.bus.HealthState;
import io.extrophi.orchestrator.bus.HealthTransition;
import io.extrophi.orchestrator.bus.MessageSchema;
import io.extrophi.orchestrator.time.Timestamps;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One health transition as it is sent to webhooks.
 *
 * @param id the same for every receiver and every retry of this transition, and derived from it
 *     (service, states and time), so a receiver can drop a retry it already got
 * @param service name of the service
 * @param previousState health before the change
 * @param newState health after the change
 * @param reason what caused it, as in {@link HealthTransition#reason()}
 * @param at when the probe or circuit transition that caused it happened
 * @param serviceUrl the URL the service is probed at, without user info; {@code null} if unknown
 * @param node id of the cluster node that probed the service; {@code null} outside a cluster
 */
public record Alert(
    String id,
    String service,
    HealthState previousState,
    HealthState newState,
    String reason,
    Instant at,
    String serviceUrl,
    String node) {

  public Alert {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(previousState, "previousState");
    Objects.requireNonNull(newState, "newState");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(at, "at");
  }

  /**
   * @param serviceUrl the probed URL of the service, {@code null} if unknown
   * @param node the cluster node id, {@code null} outside a cluster
   */
  public static Alert of(HealthTransition change, String serviceUrl, String node) {
    String identity =
        change.service()
            + '\n'
            + change.from().jsonName()
            + '\n'
            + change.to().jsonName()
            + '\n'
            + Timestamps.format(change.at());
    return new Alert(
        UUID.nameUUIDFromBytes(identity.getBytes(StandardCharsets.UTF_8)).toString(),
        change.service(),
        change.from(),
        change.to(),
        change.reason(),
        change.at(),
        withoutUserInfo(serviceUrl),
        node);
  }

  /** The JSON body of the {@code json} format. */
  public JsonObject toJson() {
    return new JsonObject()
        .put(MessageSchema.FIELD, MessageSchema.VERSION)
        .put("id", id)
        .put("service", service)
        .put("previous_state", previousState.jsonName())
        .put("new_state", newState.jsonName())
        .put("reason", reason)
        .put("timestamp", Timestamps.format(at))
        .put("service_url", serviceUrl)
        .put("node", node)
        .put("summary", summary());
  }

  /** {@code writer is unhealthy (was healthy): HTTP 503}, for people. */
  public String summary() {
    return service
        + " is "
        + newState.jsonName()
        + " (was "
        + previousState.jsonName()
        + "): "
        + reason;
  }

  /** For log lines: the summary and the id. */
  public String describe() {
    return "[" + summary() + ", id " + id + "]";
  }

  // Credentials in a probed URL (https://user:secret@host/) must not travel to a chat channel.
  private static String withoutUserInfo(String url) {
    if (url == null) {
      return null;
    }
    try {
      URI uri = new URI(url);
      if (uri.getRawUserInfo() == null) {
        return url;
      }
      return new URI(
              uri.getScheme(),
              null,
              uri.getHost(),
              uri.getPort(),
              uri.getPath(),
              uri.getQuery(),
              uri.getFragment())
          .toString();
    } catch (URISyntaxException e) {
      return null;
    }
  }
}
