package io.extrophi.orchestrator.bus;

/**
 * Every event-bus address the orchestrator uses, in one place. Other processes in the same Vert.x
 * cluster subscribe to these, so they are part of the public contract documented in the README.
 */
public final class EventBusAddresses {

  /** Published: one {@link ProbeResult} JSON per probe actually sent. */
  public static final String PROBE_RESULTS = "orchestrator.probe.result";

  /**
   * Published, internal and local to the process: a {@link ProbeResultBatch} of results for the
   * status verticle, sent just before the same results go out one by one on {@link #PROBE_RESULTS}.
   */
  public static final String PROBE_RESULT_BATCHES = "orchestrator.probe.result.batch";

  /**
   * Request/reply, internal and local to the process: the status verticle answers with the {@code
   * io.extrophi.orchestrator.status.EncodedSnapshot} of the full status (the body of {@code GET
   * /health/status}), encoded anew only if the status changed since the last one. The HTTP API asks
   * only when the shared snapshot is missing or stale (see {@code SharedSnapshot}). With the body
   * {@code {"results_only": true}} it answers the body of a trigger round instead: the timestamp
   * and the services, without the overall health; with {@code {"tag": "t"}} the snapshot of the
   * services with that tag.
   */
  public static final String ENCODED_STATUS_QUERY = "orchestrator.status.encoded";

  /** Published: one {@link BreakerTransition} JSON per circuit state change. */
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
   * #ENCODED_REPLY}, the reply is the {@code io.extrophi.orchestrator.status.EncodedSnapshot} of
   * the round instead of its JSON, for the HTTP API of the same process to send as it is.
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
   * Request/reply, internal: replies {@code {"name":{"state":"open","consecutive_failures":5},…}},
   * the saved circuit states the probe side continues from after a restart.
   */
  public static final String CIRCUITS_QUERY = "orchestrator.status.circuits";

  /**
   * Request/reply: any body; replies {@code {"lag":{"p50_ms":…,"p95_ms":…,"p99_ms":…,"max_ms":…,
   * "samples":…},"missed_slots":…,"in_flight":…,"waiting":…}}, the same JSON as {@code GET
   * /health/schedule}.
   */
  public static final String SCHEDULE_QUERY = "orchestrator.probe.schedule";

  /** Published: the full new configuration JSON after a successful reload. */
  public static final String CONFIG_CHANGED = "orchestrator.config.changed";

  /**
   * Published: {@code {"error":…}} when a reload was rejected (the last good configuration stays in
   * force), {@code {"error":null}} when a later reload succeeded.
   */
  public static final String CONFIG_STATUS = "orchestrator.config.status";

  /**
   * Request/reply: any body; reloads the configuration now and replies with {@code
   * {"status":"applied"|"unchanged","added":[…],"removed":[…],"changed":[…]}}, or fails with code
   * 422 and the reason when the new configuration is invalid.
   */
  public static final String CONFIG_RELOAD = "orchestrator.config.reload";

  private EventBusAddresses() {}
}
