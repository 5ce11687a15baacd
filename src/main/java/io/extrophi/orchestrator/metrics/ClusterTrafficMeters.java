package io.extrophi.orchestrator.metrics;

import io.extrophi.orchestrator.bus.EventBusAddresses;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.spi.metrics.EventBusMetrics;

/**
 * What the nodes of a cluster send each other: {@code orchestrator_cluster_messages_total} and
 * {@code orchestrator_cluster_bytes_total}, by {@code direction} ({@code sent}, {@code received})
 * and {@code kind} ({@code events}: the replicated batches of results; {@code other}: the chunks of
 * state copies to joining nodes, triggers forwarded to a service's owner, and the requests and
 * replies of both). Bytes are those of the event bus's frames between the nodes. Vert.x calls these
 * only for messages that cross to another node, so the series appear with the first such message: a
 * single process has none.
 */
final class ClusterTrafficMeters implements EventBusMetrics<Void> {

  private final MeterRegistry registry;
  private volatile Tally tally;

  ClusterTrafficMeters(MeterRegistry registry) {
    this.registry = registry;
  }

  /** The counters of one direction. */
  private record Direction(Counter events, Counter eventBytes, Counter other, Counter otherBytes) {

    static Direction register(MeterRegistry registry, String direction) {
      return new Direction(
          messages(registry, direction, "events"),
          bytes(registry, direction, "events"),
          messages(registry, direction, "other"),
          bytes(registry, direction, "other"));
    }

    void count(String address, int numberOfBytes) {
      if (EventBusAddresses.CLUSTER_EVENTS.equals(address)) {
        events.increment();
        eventBytes.increment(numberOfBytes);
      } else {
        other.increment();
        otherBytes.increment(numberOfBytes);
      }
    }
  }

  private record Tally(Direction sent, Direction received) {}

  private Tally tally() {
    Tally current = tally;
    if (current == null) {
      synchronized (this) {
        if (tally == null) {
          tally =
              new Tally(
                  Direction.register(registry, "sent"), Direction.register(registry, "received"));
        }
        current = tally;
      }
    }
    return current;
  }

  private static Counter messages(MeterRegistry registry, String direction, String kind) {
    return Counter.builder("orchestrator.cluster.messages")
        .description("Event bus messages between the nodes of the cluster")
        .tag("direction", direction)
        .tag("kind", kind)
        .register(registry);
  }

  private static Counter bytes(MeterRegistry registry, String direction, String kind) {
    return Counter.builder("orchestrator.cluster.bytes")
        .description("Bytes of the event bus messages between the nodes of the cluster")
        .tag("direction", direction)
        .tag("kind", kind)
        .register(registry);
  }

  @Override
  public void messageWritten(String address, int numberOfBytes) {
    tally().sent().count(address, numberOfBytes);
  }

  @Override
  public void messageRead(String address, int numberOfBytes) {
    tally().received().count(address, numberOfBytes);
  }
}
