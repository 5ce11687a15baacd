package io.extrophi.orchestrator.testing;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** What is published on an event bus address, recorded for a test to wait on and assert. */
public final class EventBusRecording {

  private EventBusRecording() {}

  /**
   * Every message published on {@code address} in this Vert.x from now on, decoded, in order; safe
   * to read from any thread.
   */
  public static <T> List<T> of(Vertx vertx, String address, Function<JsonObject, T> decode) {
    List<T> received = new CopyOnWriteArrayList<>();
    vertx.eventBus().<JsonObject>localConsumer(address, m -> received.add(decode.apply(m.body())));
    return received;
  }
}
