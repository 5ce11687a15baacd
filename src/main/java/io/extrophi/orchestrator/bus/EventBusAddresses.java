package io.extrophi.orchestrator.bus;

/**
 * Every event-bus address the orchestrator uses, in one place. Other processes in the same Vert.x
 * cluster subscribe to these, so they are part of the public contract documented in the README.
 */
public final class EventBusAddresses {

  /** Published: one {@link ProbeResult} JSON per probe actually sent. */
  public static final String PROBE_RESULTS = "orchestrator.probe.result";

  /** Published: one {@link BreakerTransition} JSON per circuit state change. */
  public static final String BREAKER_TRANSITIONS = "orchestrator.breaker.transition";

  /**
   * Request/reply: any body; replies with the status snapshot, the same JSON as {@code GET
   * /health/status}.
   */
  public static final String STATUS_QUERY = "orchestrator.status.query";

  /**
   * Request/reply: any body; runs an immediate check of every service and replies with {@code
   * {"timestamp":…,"services":{…}}}, the same JSON as {@code POST /health/trigger}.
   */
  public static final String TRIGGER_CHECKS = "orchestrator.checks.trigger";

  private EventBusAddresses() {}
}
