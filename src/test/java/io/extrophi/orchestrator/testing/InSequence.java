package io.extrophi.orchestrator.testing;

import io.vertx.core.Future;
import java.util.function.Supplier;

/** Asynchronous steps run one after the other, each once the one before has succeeded. */
public final class InSequence {

  private InSequence() {}

  /** Runs {@code step} {@code times} times in sequence; fails with the first step that fails. */
  public static Future<Void> times(int times, Supplier<Future<?>> step) {
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < times; i++) {
      chain = chain.compose(previous -> step.get().mapEmpty());
    }
    return chain;
  }
}
