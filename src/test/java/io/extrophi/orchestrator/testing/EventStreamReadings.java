package io.extrophi.orchestrator.testing;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * What the event-stream tests read of a stream on its own: its meters, the health events a client
 * received, and a snapshot big enough to fill the socket buffers of a client that does not read.
 */
public final class EventStreamReadings {

  private final MeterRegistry meters;

  /** Readings of the stream that records its meters in {@code meters}. */
  public EventStreamReadings(MeterRegistry meters) {
    this.meters = meters;
  }

  /**
   * The stream's meter {@code orchestrator.event.stream.<name>} now: a gauge's value ({@code
   * clients}, {@code queued}), a counter's count ({@code skipped.events}, {@code resyncs}, {@code
   * slow.disconnects}, {@code refused}).
   */
  public double meter(String name) {
    return meters
        .get("orchestrator.event.stream." + name)
        .meter()
        .measure()
        .iterator()
        .next()
        .getValue();
  }

  /** The {@code health} events {@code client} has received so far. */
  public static long healthEvents(SseClient client) {
    return client.events().stream().filter(event -> event.name().equals("health")).count();
  }

  /** A snapshot body of a little over {@code bytes} bytes. */
  public static Buffer snapshotOf(int bytes) {
    return new JsonObject().put("timestamp", "now").put("filler", "x".repeat(bytes)).toBuffer();
  }
}
