package io.extrophi.orchestrator.testing;

import io.extrophi.orchestrator.bus.EventBusAddresses;
import io.extrophi.orchestrator.bus.HealthState;
import io.extrophi.orchestrator.bus.HealthTransition;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Health transitions published on the event bus at a steady pace, as a flapping fleet makes them.
 */
public final class TransitionFeed {

  private TransitionFeed() {}

  /**
   * Publishes a healthy-to-unhealthy transition of a new service ({@code s1}, {@code s2}, ...)
   * every {@code periodMs}; cancel the returned timer to stop.
   */
  public static long publishEvery(Vertx vertx, long periodMs) {
    AtomicInteger sequence = new AtomicInteger();
    return vertx.setPeriodic(
        periodMs,
        tick ->
            vertx
                .eventBus()
                .publish(
                    EventBusAddresses.HEALTH_TRANSITIONS,
                    new HealthTransition(
                            "s" + sequence.incrementAndGet(),
                            HealthState.HEALTHY,
                            HealthState.UNHEALTHY,
                            "HTTP 503",
                            Instant.now())
                        .toJson()));
  }
}
