package io.extrophi.orchestrator.probe;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
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

  /** A probe waiting for a slot: started when one frees up, or cancelled by a stop. */
  private record Waiting(Runnable start, Runnable cancel) {}

  private int maxInFlight;
  private final Queue<Waiting> waiting = new ArrayDeque<>();
  private int inFlight;
  private boolean stopped;

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
    if (stopped) {
      return Future.failedFuture(ProbingStoppedException.INSTANCE);
    }
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
      waiting.add(new Waiting(start, () -> promise.fail(ProbingStoppedException.INSTANCE)));
    }
    return promise.future();
  }

  /**
   * Stops sending probes, for a stop: the probes waiting for a slot are dropped unsent (each fails
   * with {@link ProbingStoppedException}), and no probe submitted later is sent either.
   *
   * @return how many waiting probes were dropped
   */
  int stop() {
    stopped = true;
    List<Waiting> dropped = new ArrayList<>(waiting);
    waiting.clear();
    dropped.forEach(entry -> entry.cancel().run());
    return dropped.size();
  }

  private void startWaiting() {
    while (!stopped && inFlight < maxInFlight && !waiting.isEmpty()) {
      waiting.poll().start().run();
    }
  }
}
