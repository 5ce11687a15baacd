package io.extrophi.orchestrator.bus;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;
import java.util.function.Function;

/**
 * Sends a record and delivers its JSON: consumers receive the same {@link JsonObject} they would if
 * the JSON had been sent, but the JSON is only built when a consumer is there to receive it. An
 * address nobody listens to (the usual case for {@link EventBusAddresses#PROBE_RESULTS} in a single
 * process) then costs no JSON, no timestamp formatting and no garbage per probe.
 *
 * @param <T> an immutable record with a JSON form
 */
final class JsonViewCodec<T> implements MessageCodec<T, JsonObject> {

  private final String name;
  private final Function<T, JsonObject> toJson;

  private JsonViewCodec(Class<T> type, Function<T, JsonObject> toJson) {
    this.name = "json-view:" + type.getName();
    this.toJson = toJson;
  }

  /** Registers the codec as the default for {@code type} unless one is registered already. */
  static <T> void register(EventBus bus, Class<T> type, Function<T, JsonObject> toJson) {
    try {
      bus.registerDefaultCodec(type, new JsonViewCodec<>(type, toJson));
    } catch (IllegalStateException alreadyRegistered) {
      // Several verticles of one Vert.x instance register it; the first one wins.
    }
  }

  /** Written like a {@link JsonObject} message: its length, then its UTF-8 JSON. */
  @Override
  public void encodeToWire(Buffer buffer, T value) {
    Buffer json = toJson.apply(value).toBuffer();
    buffer.appendInt(json.length());
    buffer.appendBuffer(json);
  }

  @Override
  public JsonObject decodeFromWire(int pos, Buffer buffer) {
    int length = buffer.getInt(pos);
    int start = pos + Integer.BYTES;
    return new JsonObject(buffer.getBuffer(start, start + length));
  }

  @Override
  public JsonObject transform(T value) {
    return toJson.apply(value);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
