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

  /**
   * Waits on the calling thread, which must be a test's own and never an event loop, until {@code
   * condition} holds; for conditions that themselves wait for answers from the event loop.
   */
  public static void onTestThread(BooleanSupplier condition, long deadlineMs)
      throws InterruptedException {
    long giveUpAt = System.currentTimeMillis() + deadlineMs;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > giveUpAt) {
        throw new AssertionError("condition not met before the deadline");
      }
      Thread.sleep(POLL_MS);
    }
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
