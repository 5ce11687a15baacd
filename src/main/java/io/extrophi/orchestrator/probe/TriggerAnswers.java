package io.extrophi.orchestrator.probe;

import io.extrophi.orchestrator.bus.EventBusAddresses;
import io.extrophi.orchestrator.bus.MessageSchema;
import io.extrophi.orchestrator.view.EncodedSnapshot;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Answers {@link EventBusAddresses#TRIGGER_CHECKS}: checks the services asked for now, coalescing
 * triggers that arrive together, and replies with their status as the status side has it once their
 * results are applied (fetched from {@link EventBusAddresses#STATUS_QUERY} or {@link
 * EventBusAddresses#ENCODED_STATUS_QUERY}).
 *
 * <p>Runs on the {@link ProbeVerticle}'s context, over the services it probes.
 */
final class TriggerAnswers {

  /** The services this node probes, as the triggers see them. */
  interface Fleet {

    /** The monitor of a service this node probes, {@code null} for any other. */
    ServiceMonitor monitor(String name);

    /** Every service this node probes, by name. */
    Map<String, ServiceMonitor> monitors();

    /** Whether the configuration has a service of that name (probed here or not). */
    boolean isConfigured(String name);

    /** The least time between two probes of one service for triggers. */
    Duration triggerMinGap();
  }

  private final Vertx vertx;
  private final Clock clock;
  private final Fleet fleet;
  private final Runnable flushResults;

  /** When each service was last probed because of a trigger, in clock milliseconds. */
  private final Map<String, Long> triggeredAt = new HashMap<>();

  /**
   * @param flushResults publishes the results gathered so far, before the status is asked for
   */
  TriggerAnswers(Vertx vertx, Clock clock, Fleet fleet, Runnable flushResults) {
    this.vertx = vertx;
    this.clock = clock;
    this.fleet = fleet;
    this.flushResults = flushResults;
  }

  /** A service no longer probed here: a later one of the same name starts afresh. */
  void forget(String name) {
    triggeredAt.remove(name);
  }

  /**
   * Checks every service (or the one named in {@code {"service": name}}) now, joining probes in
   * flight, and replies with their status.
   */
  void answer(Message<JsonObject> request) {
    JsonObject body = request.body() == null ? new JsonObject() : request.body();
    String only = body.getString("service");
    JsonArray subset = body.getJsonArray("services");
    boolean encodedReply =
        EventBusAddresses.ENCODED_REPLY.equals(
            request.headers().get(EventBusAddresses.REPLY_FORMAT_HEADER));
    List<Future<?>> checks = new ArrayList<>();
    if (only != null) {
      ServiceMonitor service = fleet.monitor(only);
      if (service == null) {
        if (fleet.isConfigured(only)) {
          request.fail(503, only + " is not probed by this node right now, retry shortly");
        } else {
          request.fail(404, "no service named " + only);
        }
        return;
      }
      checks.add(triggeredCheck(only, service));
    } else if (subset != null) {
      for (Object name : subset) {
        ServiceMonitor service = fleet.monitor(String.valueOf(name));
        if (service != null) {
          checks.add(triggeredCheck(String.valueOf(name), service));
        }
      }
    } else {
      fleet.monitors().forEach((name, service) -> checks.add(triggeredCheck(name, service)));
    }
    Future.join(checks)
        // The results are sent before the query, and the event bus keeps one sender's messages in
        // order, so the status verticle has applied them when it answers.
        .transform(
            ignored -> {
              flushResults.run();
              if (only != null) {
                return queryStatus(only).<Object>map(status -> status);
              }
              return subset != null
                  ? queryStatuses(subset).<Object>map(statuses -> statuses)
                  : queryRoundResults(encodedReply);
            })
        .onSuccess(request::reply)
        .onFailure(
            failure ->
                request.fail(
                    MessageSchema.failureCodeOf(failure),
                    "status unavailable: " + failure.getMessage()));
  }

  /**
   * A check for a trigger, coalesced: a probe in flight is joined, and a service probed by a
   * trigger less than {@code TRIGGER_MIN_GAP} ago is not probed again (the trigger answers with its
   * latest result). However many triggers arrive at once, each service sees at most one probe per
   * gap from them.
   */
  private Future<?> triggeredCheck(String name, ServiceMonitor monitor) {
    if (monitor.isProbing()) {
      return monitor.check();
    }
    long now = clock.millis();
    Long last = triggeredAt.get(name);
    if (last != null && now - last < fleet.triggerMinGap().toMillis()) {
      return Future.succeededFuture();
    }
    triggeredAt.put(name, now);
    return monitor.check();
  }

  /**
   * The status of every service after a round, encoded once by the status verticle: sent on as it
   * is to the HTTP API, read back into JSON for anyone else.
   */
  private Future<Object> queryRoundResults(boolean encoded) {
    return vertx
        .eventBus()
        .<EncodedSnapshot>request(
            EventBusAddresses.ENCODED_STATUS_QUERY,
            new JsonObject().put("results_only", true),
            // A large fleet is encoded over many turns of the status verticle's loop.
            MessageSchema.localDelivery(Duration.ofSeconds(60).toMillis()))
        .map(
            reply ->
                encoded
                    ? reply.body()
                    : MessageSchema.stamp(new JsonObject(reply.body().render(clock.instant()))));
  }

  /** {@code {"services":{…}}}: the status of the named services, for a cluster's trigger. */
  private Future<JsonObject> queryStatuses(JsonArray names) {
    return queryStatus(null)
        .map(
            snapshot -> {
              JsonObject all = snapshot.getJsonObject("services", new JsonObject());
              JsonObject picked = new JsonObject();
              for (Object name : names) {
                Object status = all.getValue(String.valueOf(name));
                if (status != null) {
                  picked.put(String.valueOf(name), status);
                }
              }
              return new JsonObject().put("services", picked);
            });
  }

  private Future<JsonObject> queryStatus(String service) {
    JsonObject query =
        service == null ? new JsonObject() : new JsonObject().put("service", service);
    return vertx
        .eventBus()
        .<JsonObject>request(
            EventBusAddresses.STATUS_QUERY,
            query,
            MessageSchema.localDelivery(Duration.ofSeconds(10).toMillis()))
        .map(Message::body);
  }
}
