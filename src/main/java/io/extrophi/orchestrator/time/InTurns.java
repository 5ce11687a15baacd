package io.extrophi.orchestrator.time;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Work over many items done a slice at a time, each slice in its own turn of an event loop, so that
 * whatever else waits for that loop (a timer, an answer, an HTTP request) runs between slices
 * instead of after all of them.
 */
public final class InTurns {

  private InTurns() {}

  /**
   * Runs {@code step} for each item in order, {@code slice} of them now and each further slice in a
   * later turn of {@code context}; stops early, between slices, once {@code stopped} says so.
   *
   * @return completes after the last step run (all of them, or those before a stop); fails with
   *     what a step threw, and the steps after it do not run
   */
  public static <T> Future<Void> forEach(
      Context context, List<T> items, int slice, Consumer<T> step, BooleanSupplier stopped) {
    Promise<Void> done = Promise.promise();
    runFrom(0, context, items, slice, step, stopped, done);
    return done.future();
  }

  private static <T> void runFrom(
      int from,
      Context context,
      List<T> items,
      int slice,
      Consumer<T> step,
      BooleanSupplier stopped,
      Promise<Void> done) {
    int to = Math.min(items.size(), from + slice);
    try {
      for (int i = from; i < to && !stopped.getAsBoolean(); i++) {
        step.accept(items.get(i));
      }
    } catch (RuntimeException failure) {
      // Said to whoever waits for the work, which would otherwise wait forever.
      done.fail(failure);
      return;
    }
    if (to == items.size() || stopped.getAsBoolean()) {
      done.complete();
      return;
    }
    context.runOnContext(next -> runFrom(to, context, items, slice, step, stopped, done));
  }
}
