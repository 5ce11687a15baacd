package io.extrophi.orchestrator.bus;

/**
 * Every event-bus address the orchestrator uses, in one place. Other processes in the same Vert.x
 * cluster subscribe to these, so they are part of the public contract documented in the README; the
 * ones marked internal are not.
 *
 * <p>Every message body is a JSON object with a {@value MessageSchema#FIELD} field (see {@link
 * MessageSchema}). In a cluster, the published addresses carry each event once, from the node that
 * probed the service, and the request/reply addresses may be answered by any node: every node
 * answers for the whole fleet.
 */
public final class EventBusAddresses {

  /** Published: one {@link ProbeResult} JSON per probe actually sent. */
  public static final String PROBE_RESULTS = "orchestrator.probe.result";

  /**
   * Published, internal and local to the process: a {@link StatusEventBatch} of results and circuit
   * transitions for the status verticle, sent just before the same events go out one by one on
   * {@link #PROBE_RESULTS} and {@link #BREAKER_TRANSITIONS}.
   */
  public static final String STATUS_EVENT_BATCHES = "orchestrator.status.event.batch";

  /** Published: one {@link HealthTransition} JSON per change of a service's reported health. */
  public static final String HEALTH_TRANSITIONS = "orchestrator.health.transition";

  /**
   * Published: one {@link ReportedStatusChange} JSON per change of what a service's health document
   * reports ({@code pass}, {@code warn}, {@code fail} or none), by the node that probed it.
   */
  public static final String REPORTED_STATUS_CHANGES = "orchestrator.health.reported";

  /**
   * Published: one {@link ComponentTransition} JSON per change of a health document's component.
   */
  public static final String COMPONENT_TRANSITIONS = "orchestrator.component.transition";

  /**
   * Request/reply: any body → the {@code GET /health/components} JSON, every component of the
   * fleet's health documents with the services where it fails, warns and passes.
   */
  public static final String COMPONENTS_QUERY = "orchestrator.status.components";

  /**
   * Request/reply, internal and local to the process: the status verticle answers with the {@code
   * io.extrophi.orchestrator.view.EncodedSnapshot} of the full status (the body of {@code GET
   * /health/status}), encoded anew only if the status changed since the last one. The HTTP API asks
   * only when the shared snapshot is missing or stale (see {@code StatusReadModel}). With the body
   * {@code {"results_only": true}} it answers the body of a trigger round instead: the timestamp
   * and the services, without the overall health; with the JSON of an {@code
   * io.extrophi.orchestrator.view.FleetQuery} ({@code tag}, {@code health}, {@code limit}, {@code
   * after}) the services it selects.
   */
  public static final String ENCODED_STATUS_QUERY = "orchestrator.status.encoded";

  /**
   * Published: one {@link BreakerTransition} JSON per circuit state change, after the probe result
   * that caused it.
   */
  public static final String BREAKER_TRANSITIONS = "orchestrator.breaker.transition";

  /**
   * Request/reply: {@code {}} replies with the status snapshot, the same JSON as {@code GET
   * /health/status}; {@code {"tag":"t"}} the same filtered by tag; {@code {"service":"name"}} one
   * service, the same JSON as {@code GET /health/status/{name}} (failure code 404 when unknown).
   */
  public static final String STATUS_QUERY = "orchestrator.status.query";

  /**
   * Request/reply: {@code {}} checks every service now and replies with {@code
   * {"timestamp":…,"services":{…}}}, the same JSON as {@code POST /health/trigger}; {@code
   * {"service":"name"}} checks one service and replies like {@code GET /health/status/{name}}.
   */
  public static final String TRIGGER_CHECKS = "orchestrator.checks.trigger";

  /**
   * A header of a {@link #TRIGGER_CHECKS} request for every service: with the value {@link
   * #ENCODED_REPLY}, the reply is the {@code io.extrophi.orchestrator.view.EncodedSnapshot} of the
   * round instead of its JSON, for the HTTP API of the same process to send as it is.
   */
  public static final String REPLY_FORMAT_HEADER = "reply-format";

  /** See {@link #REPLY_FORMAT_HEADER}. */
  public static final String ENCODED_REPLY = "encoded";

  /**
   * Request/reply: {@code {"service":"name","limit":n}} replies with {@code
   * {"name":…,"results":[…]}}, the last results newest first (failure code 404 when unknown).
   */
  public static final String HISTORY_QUERY = "orchestrator.status.history";

  /**
   * Request/reply, internal: replies {@code
   * {"name":{"state":"open","consecutive_failures":5,"check":"<fingerprint>"},…}}, the saved
   * circuit states the probe side continues from after a restart, each with the fingerprint of the
   * check it belongs to when known ({@code ServiceDefinition.checkIdentity()}).
   */
  public static final String CIRCUITS_QUERY = "orchestrator.status.circuits";

  /**
   * Request/reply: any body; replies {@code {"lag":{"p50_ms":…,"p95_ms":…,"p99_ms":…,"max_ms":…,
   * "samples":…},"missed_slots":…,"in_flight":…,"waiting":…,"connection_wait":{"recent":{…},
   * "count":…,"total_ms":…,"timed_out":…}}}, the same JSON as {@code GET /health/schedule}.
   */
  public static final String SCHEDULE_QUERY = "orchestrator.probe.schedule";

  /**
   * Published, internal and local to the process: the full new configuration JSON after a
   * successful reload.
   */
  public static final String CONFIG_CHANGED = "orchestrator.config.changed";

  /**
   * Published, internal and local to the process: {@code {"error":…,"reason":…}} when a reload was
   * rejected (the last good configuration stays in force; {@code reason} is {@code invalid}, or
   * {@code missing} for a services file gone away), {@code {"error":null}} when a later reload
   * succeeded.
   */
  public static final String CONFIG_STATUS = "orchestrator.config.status";

  /**
   * Request/reply: any body; reloads the configuration now and replies with {@code
   * {"status":"applied"|"unchanged","added":[…],"removed":[…],"changed":[…]}}, or fails with code
   * 422 and the reason when the new configuration is invalid.
   */
  public static final String CONFIG_RELOAD = "orchestrator.config.reload";

  /**
   * Published, internal, between the nodes of a cluster: the {@link ReplicatedBatchCodec binary
   * form} of every batch of events a node produced, so that every node keeps the statistics of the
   * whole fleet (nodes of earlier versions published {@link StatusEventBatch#toReplicationJson},
   * which is still read).
   */
  public static final String CLUSTER_EVENTS = "orchestrator.cluster.events";

  /**
   * Published, internal and local to the process: {@code {"nodes":[…],"self":"…","active":true}},
   * the orchestrator nodes of the cluster whenever they change, from which the probe side works out
   * the services it owns.
   */
  public static final String CLUSTER_ASSIGNMENT = "orchestrator.cluster.assignment";

  /**
   * Request/reply, internal and local to the process: {@code {"cluster":"ok"|"degraded",
   * "cluster_node":…,"cluster_members":n,"owned_services":n}}, for {@code GET /}.
   */
  public static final String CLUSTER_INFO = "orchestrator.cluster.info";

  /**
   * Request/reply, local to the process: {@code {}} replies {@code {"services": {name: {"health":
   * ..., "circuit_breaker_state": ...}}}}, only the two states of every service. What the metrics
   * need to seed their gauges: the whole status of 10,000 services with every statistic is some 200
   * MB of JSON objects while it is built and copied.
   */
  public static final String STATES_QUERY = "orchestrator.status.states";

  /**
   * Published, internal and local to the process: {@code {}} after the status verticle replaced its
   * state with a copy of another node's, without a transition per service; whoever mirrors the
   * status (the metrics) reads it again.
   */
  public static final String STATUS_REPLACED = "orchestrator.status.replaced";

  /**
   * Published, internal and local to the process: an {@code
   * io.extrophi.orchestrator.state.PersistenceStatus} JSON whenever the outcome of a state write
   * changes it (every write that succeeds, every one that fails), for the metrics.
   */
  public static final String PERSISTENCE_CHANGED = "orchestrator.persistence.changed";

  /**
   * Request/reply, internal and local to the process: {@code {}} replies with the current {@code
   * io.extrophi.orchestrator.state.PersistenceStatus} JSON (the {@code persistence} of {@code GET
   * /}).
   */
  public static final String PERSISTENCE_QUERY = "orchestrator.persistence.query";

  private static final String NODE_PREFIX = "orchestrator.cluster.node.";

  /**
   * Request/reply, internal, one per node of a cluster: checks the services of that node now. The
   * body is {@code {"service":"name"}} (replies like {@link #TRIGGER_CHECKS}) or {@code
   * {"services":["a","b"]}} (replies {@code {"services":{…}}} with the status of those services).
   */
  public static String nodeTrigger(String nodeId) {
    return NODE_PREFIX + nodeId + ".trigger";
  }

  /**
   * Request/reply, internal, one per node of a cluster: {@code {"from":i}} replies with the binary
   * state (the state file's payload) of about a megabyte of services from the {@code i}-th on, with
   * the index of the next in a header, for a node that joins to continue from; {@code {}} (from a
   * node of an earlier version) replies with the state of every service in one message.
   */
  public static String nodeState(String nodeId) {
    return NODE_PREFIX + nodeId + ".state";
  }

  private EventBusAddresses() {}
}
