package io.extrophi.orchestrator.bus;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;

/**
 * Carries an immutable object between verticles of one process as it is, without copying or
 * encoding it. Such messages are sent to local consumers only; putting one on the wire is a
 * programming error.
 *
 * @param <T> an immutable type, safe to share between event loops
 */
public final class LocalOnlyCodec<T> implements MessageCodec<T, T> {

  private final String name;

  private LocalOnlyCodec(Class<T> type) {
    this.name = "local:" + type.getName();
  }

  /** Registers the codec as the default for {@code type} unless one is registered already. */
  public static <T> void register(EventBus bus, Class<T> type) {
    try {
      bus.registerDefaultCodec(type, new LocalOnlyCodec<>(type));
    } catch (IllegalStateException alreadyRegistered) {
      // Several verticles of one Vert.x instance register it; the first one wins.
    }
  }

  @Override
  public void encodeToWire(Buffer buffer, T value) {
    throw new UnsupportedOperationException(name + " messages never leave the process");
  }

  @Override
  public T decodeFromWire(int pos, Buffer buffer) {
    throw new UnsupportedOperationException(name + " messages never leave the process");
  }

  @Override
  public T transform(T value) {
    return value;
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
