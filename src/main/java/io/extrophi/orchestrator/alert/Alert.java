package io.extrophi.orchestrator.alert;

import io.extrophi.orchestrator.bus.HealthState;
import io.extrophi.orchestrator.bus.HealthTransition;
import io.extrophi.orchestrator.bus.MessageSchema;
import io.extrophi.orchestrator.bus.ReportedStatusChange;
import io.extrophi.orchestrator.document.ReportedStatus;
import io.extrophi.orchestrator.time.Timestamps;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
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
 * @param affectedServices the services this one's failure takes down (they depend on it, directly
 *     or through other failing services, and fail too), in configuration order; empty for most
 *     alerts
 * @param updateOf for an update, the id of the alert it updates, {@code null} otherwise: an update
 *     repeats the alert of a root cause with a longer {@code affectedServices}, under an id of its
 *     own (so that a receiver dropping repeated ids keeps it)
 * @param rootCause the failing service that takes this one down, when this alert is about a service
 *     whose root cause had no alert to update (see {@link RootCauseAlerts}); {@code null} otherwise
 * @param reported for an alert on a warning ({@code alert_on_warn}), the change of the service's
 *     reported status it tells of; {@code null} for an alert on a health transition
 */
public record Alert(
    String id,
    String service,
    HealthState previousState,
    HealthState newState,
    String reason,
    Instant at,
    String serviceUrl,
    String node,
    List<String> affectedServices,
    String updateOf,
    String rootCause,
    ReportedStatusChange reported) {

  public Alert {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(previousState, "previousState");
    Objects.requireNonNull(newState, "newState");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(at, "at");
    affectedServices = affectedServices == null ? List.of() : List.copyOf(affectedServices);
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
    return first(
        identity,
        change.service(),
        change.from(),
        change.to(),
        change.reason(),
        change.at(),
        serviceUrl,
        node,
        null);
  }

  /**
   * An alert on a service entering or leaving a warning: its health stays what it was ({@code
   * previous_state} and {@code new_state} both tell it), {@code reported_status} says what changed.
   */
  public static Alert ofWarning(ReportedStatusChange change, String serviceUrl, String node) {
    String identity =
        change.service()
            + "\nreported\n"
            + change.describe()
            + '\n'
            + Timestamps.format(change.at());
    return first(
        identity,
        change.service(),
        change.health(),
        change.health(),
        change.reason(),
        change.at(),
        serviceUrl,
        node,
        change);
  }

  /** The first alert of a change: no one taken down yet, no update, no root cause. */
  private static Alert first(
      String identity,
      String service,
      HealthState from,
      HealthState to,
      String reason,
      Instant at,
      String serviceUrl,
      String node,
      ReportedStatusChange reported) {
    return new Alert(
        nameBasedId(identity),
        service,
        from,
        to,
        reason,
        at,
        withoutUserInfo(serviceUrl),
        node,
        List.of(),
        null,
        null,
        reported);
  }

  /** This alert, listing the services its failure takes down. */
  public Alert takingDown(List<String> affected) {
    return copy(id, node, affected, null, null);
  }

  /**
   * An update of this alert listing {@code affected}, because {@code cause} took one more service
   * down; sent by {@code sender}, the node that probed that service. Its id derives from this
   * alert's and from {@code cause}: one update per transition, and the same id on every retry.
   */
  public Alert updatedWith(List<String> affected, HealthTransition cause, String sender) {
    String updateId =
        nameBasedId(id + '\n' + cause.service() + '\n' + Timestamps.format(cause.at()));
    return copy(updateId, sender, affected, id, null);
  }

  /** This alert, naming the failing service that takes it down. */
  public Alert withRootCause(String root) {
    return copy(id, node, affectedServices, updateOf, root);
  }

  /** The same transition told again with what its dependencies changed. */
  private Alert copy(
      String newId, String sender, List<String> affected, String updated, String root) {
    return new Alert(
        newId,
        service,
        previousState,
        newState,
        reason,
        at,
        serviceUrl,
        sender,
        affected,
        updated,
        root,
        reported);
  }

  /** Whether this alert updates an earlier one rather than telling of a transition. */
  public boolean isUpdate() {
    return updateOf != null;
  }

  private static String nameBasedId(String identity) {
    return UUID.nameUUIDFromBytes(identity.getBytes(StandardCharsets.UTF_8)).toString();
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
        .put("affected_services", new JsonArray(affectedServices))
        .put("update_of", updateOf)
        .put("root_cause", rootCause)
        .put("reported_status", reported == null ? null : jsonName(reported.to()))
        .put("previous_reported_status", reported == null ? null : jsonName(reported.from()))
        .put("summary", summary());
  }

  private static String jsonName(ReportedStatus status) {
    return status == null ? null : status.jsonName();
  }

  /**
   * {@code writer is unhealthy (was healthy): HTTP 503}, for people; {@code backend is unhealthy
   * (was healthy): connection refused; taking down writer, research} when its failure takes others
   * down, prefixed {@code update: } for an update.
   */
  public String summary() {
    if (reported != null) {
      return service
          + " reports "
          + (reported.to() == null ? "nothing" : reported.to().jsonName())
          + " (was "
          + (reported.from() == null ? "nothing" : reported.from().jsonName())
          + "), "
          + newState.jsonName()
          + ": "
          + reason;
    }
    return (isUpdate() ? "update: " : "")
        + service
        + " is "
        + newState.jsonName()
        + " (was "
        + previousState.jsonName()
        + "): "
        + reason
        + consequences();
  }

  /** {@code ; taking down writer, research}, {@code ; root cause: backend} or nothing. */
  String consequences() {
    if (!affectedServices.isEmpty()) {
      return "; taking down " + String.join(", ", affectedServices);
    }
    return rootCause == null ? "" : "; root cause: " + rootCause;
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
