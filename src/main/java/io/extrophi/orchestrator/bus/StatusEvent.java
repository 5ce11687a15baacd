package io.extrophi.orchestrator.bus;

import io.vertx.core.json.JsonObject;

/**
 * What the probe side tells the status side about one service, in the order it happened: a probe
 * result or a circuit transition.
 */
public sealed interface StatusEvent permits ProbeResult, BreakerTransition {

  /** The name of the service the event is about. */
  String service();

  /** The event's published JSON, with the schema version. */
  JsonObject toEventJson();
}
