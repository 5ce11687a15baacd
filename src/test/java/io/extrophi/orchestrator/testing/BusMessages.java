package io.extrophi.orchestrator.testing;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** What is published on an event-bus address during a test, in the order it arrived. */
public final class BusMessages {

  private BusMessages() {}

  /**
   * Every message published on {@code address} in {@code vertx} from now on, decoded by {@code
   * decode} (a message type's {@code fromJson}); the list grows as messages arrive.
   */
  public static <T> List<T> recorded(Vertx vertx, String address, Function<JsonObject, T> decode) {
    List<T> recorded = new CopyOnWriteArrayList<>();
    vertx
        .eventBus()
        .<JsonObject>consumer(address)
        .handler(message -> recorded.add(decode.apply(message.body())));
    return recorded;
  }
}
