package io.extrophi.orchestrator.probe;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.function.Supplier;

/**
 * Caps the probes in flight at once, so a fleet of hanging targets cannot exhaust sockets or
 * memory: beyond the cap, probes wait in arrival order and start as others finish. The queue holds
 * at most one entry per service, because a service is never probed twice at once.
 *
 * <p>Not thread-safe: used from the event loop of the probe verticle.
 */
final class ProbeLimiter {

  private int maxInFlight;
  private final Queue<Runnable> waiting = new ArrayDeque<>();
  private int inFlight;

  ProbeLimiter(int maxInFlight) {
    this.maxInFlight = maxInFlight;
  }

  /** Changes the cap; probes already in flight finish, waiting ones start if there is room. */
  void resize(int newMaxInFlight) {
    maxInFlight = newMaxInFlight;
    startWaiting();
  }

  int inFlight() {
    return inFlight;
  }

  int waiting() {
    return waiting.size();
  }

  /** Runs {@code task} now if a slot is free, otherwise when one frees up. */
  <T> Future<T> submit(Supplier<Future<T>> task) {
    Promise<T> promise = Promise.promise();
    Runnable start =
        () -> {
          inFlight++;
          Future<T> running;
          try {
            running = task.get();
          } catch (RuntimeException e) {
            running = Future.failedFuture(e);
          }
          running.onComplete(
              done -> {
                inFlight--;
                startWaiting();
                promise.handle(done);
              });
        };
    if (inFlight < maxInFlight) {
      start.run();
    } else {
      waiting.add(start);
    }
    return promise.future();
  }

  private void startWaiting() {
    while (inFlight < maxInFlight && !waiting.isEmpty()) {
      waiting.poll().run();
    }
  }
}
