package io.extrophi.orchestrator.bus;

import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Probe results and circuit transitions handed from the probe side to the status side in one
 * message, in the order they happened, on {@link EventBusAddresses#STATUS_EVENT_BATCHES}. A message
 * per result would wake the status verticle's event loop once per probe; a batch wakes it once.
 *
 * <p>Inside one process the batch travels as the same immutable object (see {@link
 * LocalOnlyCodec}); between the nodes of a cluster as the JSON of {@link #toReplicationJson}, on
 * {@link EventBusAddresses#CLUSTER_EVENTS}.
 *
 * @param events in the order they happened
 * @param sequence in a cluster, the number of the batch among those of the node that probed (1, 2,
 *     ...), by which a node that copied another's state tells the batches the copy already holds; 0
 *     in a single process
 */
public record StatusEventBatch(List<StatusEvent> events, long sequence) {

  private static final String PROBE_RESULT = "probe_result";
  private static final String BREAKER_TRANSITION = "breaker_transition";

  /** A batch as another node of the cluster published it. */
  public record Replicated(String node, StatusEventBatch batch) {}

  public StatusEventBatch {
    events = List.copyOf(events);
  }

  /** A batch of a single process, without a sequence number. */
  public StatusEventBatch(List<StatusEvent> events) {
    this(events, 0);
  }

  /** Lets {@code bus} carry batches inside the process; registering twice is harmless. */
  public static void registerCodec(EventBus bus) {
    LocalOnlyCodec.register(bus, StatusEventBatch.class);
  }

  /**
   * {@code {"schema_version":1,"node":"…","sequence":n,"events":[{"probe_result":{…}},
   * {"breaker_transition":{…}}]}}.
   *
   * @param node the cluster node id of the node that probed
   */
  public JsonObject toReplicationJson(String node) {
    JsonArray array = new JsonArray();
    for (StatusEvent event : events) {
      if (event instanceof ProbeResult result) {
        array.add(new JsonObject().put(PROBE_RESULT, result.toJson()));
      } else if (event instanceof BreakerTransition transition) {
        array.add(new JsonObject().put(BREAKER_TRANSITION, transition.toJson()));
      }
    }
    return new JsonObject()
        .put(MessageSchema.FIELD, MessageSchema.VERSION)
        .put("node", node)
        .put("sequence", sequence)
        .put("events", array);
  }

  /**
   * @throws IllegalArgumentException when {@code json} is not a replicated batch
   */
  public static Replicated fromReplicationJson(JsonObject json) {
    JsonArray array = json.getJsonArray("events");
    String node = json.getString("node");
    if (array == null || node == null) {
      throw new IllegalArgumentException("not a replicated batch: " + json.encode());
    }
    List<StatusEvent> events = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      JsonObject event = array.getJsonObject(i);
      if (event.containsKey(PROBE_RESULT)) {
        events.add(ProbeResult.fromJson(event.getJsonObject(PROBE_RESULT)));
      } else if (event.containsKey(BREAKER_TRANSITION)) {
        events.add(BreakerTransition.fromJson(event.getJsonObject(BREAKER_TRANSITION)));
      }
      // Anything else is an event kind of a newer node: skipped, not fatal.
    }
    return new Replicated(node, new StatusEventBatch(events, json.getLong("sequence", 0L)));
  }
}
