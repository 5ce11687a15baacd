package io.extrophi.orchestrator.testing;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.function.BooleanSupplier;

/**
 * Waits, without blocking an event loop, until a condition holds. The deadline is generous: it only
 * bounds a failing test, it never decides a passing one.
 */
public final class Eventually {

  private static final long POLL_MS = 20;

  private Eventually() {}

  public static Future<Void> until(Vertx vertx, BooleanSupplier condition, long deadlineMs) {
    Promise<Void> promise = Promise.promise();
    long giveUpAt = System.currentTimeMillis() + deadlineMs;
    poll(vertx, condition, giveUpAt, promise);
    return promise.future();
  }

  /** Completes after {@code delayMs} on a Vert.x timer. */
  public static Future<Void> after(Vertx vertx, long delayMs) {
    Promise<Void> promise = Promise.promise();
    vertx.setTimer(delayMs, id -> promise.complete());
    return promise.future();
  }

  private static void poll(
      Vertx vertx, BooleanSupplier condition, long giveUpAt, Promise<Void> promise) {
    if (condition.getAsBoolean()) {
      promise.complete();
    } else if (System.currentTimeMillis() > giveUpAt) {
      promise.fail(new AssertionError("condition not met before the deadline"));
    } else {
      vertx.setTimer(POLL_MS, id -> poll(vertx, condition, giveUpAt, promise));
    }
  }
}
