package io.extrophi.orchestrator.testing;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Waits on a test's own thread, never an event loop. The deadline is generous: it only bounds a
 * failing test, it never decides a passing one.
 */
public final class Await {

  /** How long a test waits for one answer before it fails. */
  public static final Duration DEADLINE = Duration.ofSeconds(60);

  private static final long POLL_MS = 20;

  private Await() {}

  /**
   * The future's result; its failure is the cause of the {@link ExecutionException} thrown, so a
   * test can assert on it.
   */
  public static <T> T await(Future<T> future) throws Exception {
    return await(future, DEADLINE);
  }

  /** The future's result, for a wait that legitimately outlasts {@link #DEADLINE}. */
  public static <T> T await(Future<T> future, Duration deadline) throws Exception {
    return future
        .toCompletionStage()
        .toCompletableFuture()
        .get(deadline.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Until {@code condition} holds; for conditions that themselves wait for answers from the event
   * loop, or for a child process.
   */
  public static void until(BooleanSupplier condition) throws InterruptedException {
    until(condition, "condition");
  }

  /** Until {@code condition} holds, naming {@code what} was awaited when it never does. */
  public static void until(BooleanSupplier condition, String what) throws InterruptedException {
    until(condition, what, DEADLINE.toMillis());
  }

  /** Until {@code condition} holds, for a wait that legitimately outlasts {@link #DEADLINE}. */
  public static void until(BooleanSupplier condition, long deadlineMs) throws InterruptedException {
    until(condition, "condition", deadlineMs);
  }

  /** Until {@code condition} holds, naming {@code what} was awaited, within {@code deadlineMs}. */
  public static void until(BooleanSupplier condition, String what, long deadlineMs)
      throws InterruptedException {
    long giveUpAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(deadlineMs);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - giveUpAt > 0) {
        throw new AssertionError(what + " not met within " + deadlineMs + " ms");
      }
      Thread.sleep(POLL_MS);
    }
  }
}
