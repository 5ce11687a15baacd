package io.extrophi.orchestrator.testing;

import io.vertx.core.AsyncResult;
import io.vertx.core.Handler;
import io.vertx.junit5.VertxTestContext;

/**
 * The last step of a vertx-junit5 test: the future must succeed, its value must pass the check, and
 * only then is the test complete. A failed future or a failed assertion fails the test with its
 * cause.
 */
public final class Checked {

  private Checked() {}

  /** A check on a value; it may throw any assertion error or exception. */
  @FunctionalInterface
  public interface Check<T> {
    void accept(T value) throws Throwable;
  }

  /** Completes {@code test} once the value passed {@code check}. */
  public static <T> Handler<AsyncResult<T>> thenComplete(VertxTestContext test, Check<T> check) {
    return test.succeeding(
        value ->
            test.verify(
                () -> {
                  check.accept(value);
                  test.completeNow();
                }));
  }
}
