package io.extrophi.orchestrator.breaker;

import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.bus.BreakerTransition;
import io.extrophi.orchestrator.bus.CircuitState;
import io.extrophi.orchestrator.testing.Eventually;
import io.extrophi.orchestrator.testing.InSequence;
import io.extrophi.orchestrator.testing.IntegrationTest;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.circuitbreaker.TimeoutException;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The real vertx-circuit-breaker underneath, with durations scaled down to milliseconds. Every call
 * runs on one event-loop context, as it does in the probe verticle.
 */
@ExtendWith(VertxExtension.class)
@IntegrationTest
class ServiceBreakerTest {

  private static final Duration RESET = Duration.ofMillis(400);

  private final List<BreakerTransition> transitions = new CopyOnWriteArrayList<>();

  /** When each transition was published, by the monotonic clock. */
  private final List<Long> publishedAtNanos = new CopyOnWriteArrayList<>();

  private void record(BreakerTransition transition) {
    publishedAtNanos.add(System.nanoTime());
    transitions.add(transition);
  }

  private long nanosBetween(int earlier, int later) {
    return publishedAtNanos.get(later) - publishedAtNanos.get(earlier);
  }

  private List<String> transitionNames() {
    return transitions.stream()
        .map(transition -> transition.from().jsonName() + "->" + transition.to().jsonName())
        .toList();
  }

  @Test
  void opensAfterTheThresholdAndRejectsCallsWithoutRunningThem(Vertx vertx, VertxTestContext test) {
    AtomicInteger calls = new AtomicInteger();
    onOneContext(
            vertx,
            settings(5, RESET),
            breaker ->
                failTimes(breaker, 5)
                    .compose(
                        opened -> {
                          assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
                          assertThat(transitions)
                              .extracting(BreakerTransition::describe)
                              .containsExactly(
                                  "circuit writer: closed -> open after 5 consecutive failures");
                          return breaker.execute(
                              () -> {
                                calls.incrementAndGet();
                                return Future.succeededFuture();
                              });
                        }),
            (breaker, rejected) -> {
              assertThat(rejected.cause()).isSameAs(OpenCircuitException.INSTANCE);
              assertThat(calls).hasValue(0);
            })
        .onComplete(test.succeedingThenComplete());
  }

  @Test
  void goesHalfOpenAfterTheResetTimeoutAndClosesAfterTwoSuccesses(
      Vertx vertx, VertxTestContext test) {
    onOneContext(
            vertx,
            settings(2, RESET),
            breaker ->
                halfOpenThenOneSuccess(vertx, breaker, 2)
                    .compose(
                        first -> {
                          assertThat(breaker.state()).isEqualTo(CircuitState.HALF_OPEN);
                          return succeed(breaker);
                        }),
            (breaker, second) -> {
              assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
              assertThat(transitionNames())
                  .containsExactly("closed->open", "open->half_open", "half_open->closed");
            })
        .onComplete(test.succeedingThenComplete());
  }

  @Test
  void aHalfOpenFailureReopensForAFullResetTimeout(Vertx vertx, VertxTestContext test) {
    onOneContext(
            vertx,
            settings(1, RESET),
            breaker ->
                halfOpenThenOneSuccess(vertx, breaker, 1)
                    .compose(oneSuccess -> failTimes(breaker, 1))
                    .compose(reopened -> halfOpen(vertx, breaker))
                    // One more open period after it: a second, stray reset timer of the
                    // reopening would have fired within it, as an extra transition or a shorter
                    // period.
                    .compose(halfOpenAgain -> failTimes(breaker, 1))
                    .compose(reopenedAgain -> halfOpen(vertx, breaker)),
            (breaker, done) -> {
              assertThat(transitionNames())
                  .containsExactly(
                      "closed->open",
                      "open->half_open",
                      "half_open->open",
                      "open->half_open",
                      "half_open->open",
                      "open->half_open");
              assertThat(transitions.get(2).reason())
                  .isEqualTo("after a failed half-open probe (HTTP 503)");
              // Each reopening waits a reset timeout of its own, not what was left of an
              // earlier one (timers never fire early; the timer starts a moment before the
              // transition is published).
              assertThat(nanosBetween(2, 3)).isGreaterThan(RESET.toNanos() / 2);
              assertThat(nanosBetween(4, 5)).isGreaterThan(RESET.toNanos() / 2);
            })
        .onComplete(test.succeedingThenComplete());
  }

  @Test
  void failsACallThatOutlivesTheCallTimeout(Vertx vertx, VertxTestContext test) {
    onOneContext(
            vertx,
            new BreakerSettings(5, 2, RESET, Duration.ofMillis(100)),
            breaker -> breaker.execute(() -> Promise.<Void>promise().future()),
            (breaker, timedOut) ->
                assertThat(timedOut.cause()).isInstanceOf(TimeoutException.class))
        .onComplete(test.succeedingThenComplete());
  }

  @Test
  void opensWhenFailuresAreFartherApartThanTheLibraryRollingWindow(
      Vertx vertx, VertxTestContext test) {
    // vertx-circuit-breaker counts failures in a 10 s window by default. Five failures 2.6 s
    // apart span 10.4 s, so the library alone would only ever see four of them.
    long spacingMs = 2_600;
    onOneContext(
            vertx,
            settings(5, Duration.ofSeconds(60)),
            breaker -> {
              Future<Void> chain = failTimes(breaker, 1);
              for (int i = 0; i < 4; i++) {
                chain =
                    chain
                        .compose(previous -> Eventually.after(vertx, spacingMs))
                        .compose(waited -> failTimes(breaker, 1));
              }
              return chain;
            },
            (breaker, done) -> assertThat(breaker.state()).isEqualTo(CircuitState.OPEN))
        .onComplete(test.succeedingThenComplete());
  }

  /** A check of the breaker and the outcome of a scenario; it may throw any assertion error. */
  @FunctionalInterface
  private interface Outcome {
    void check(ServiceBreaker breaker, AsyncResult<?> outcome) throws Throwable;
  }

  /**
   * Runs {@code scenario} with a fresh breaker on one event-loop context, as the probe verticle
   * does; then checks its {@code outcome} and closes the breaker. Fails with an assertion that
   * failed within the scenario, or else as the check does.
   */
  private Future<Void> onOneContext(
      Vertx vertx,
      BreakerSettings settings,
      Function<ServiceBreaker, Future<?>> scenario,
      Outcome outcome) {
    Promise<Void> checked = Promise.promise();
    vertx
        .getOrCreateContext()
        .runOnContext(
            start -> {
              ServiceBreaker breaker =
                  new ServiceBreaker(vertx, "writer", settings, this::record, Clock.systemUTC());
              scenario
                  .apply(breaker)
                  .onComplete(
                      result -> {
                        try {
                          if (result.cause() instanceof AssertionError failedWithin) {
                            throw failedWithin;
                          }
                          outcome.check(breaker, result);
                          checked.complete();
                        } catch (Throwable failed) {
                          checked.fail(failed);
                        } finally {
                          breaker.close();
                        }
                      });
            });
    return checked.future();
  }

  /** Opens after {@code failureThreshold} failures, closes after 2 successes; 5 s per call. */
  private static BreakerSettings settings(int failureThreshold, Duration reset) {
    return new BreakerSettings(failureThreshold, 2, reset, Duration.ofSeconds(5));
  }

  /**
   * Opens the circuit with {@code failures} failed calls, waits out its reset timeout and runs one
   * successful call in the half-open state.
   */
  private static Future<Void> halfOpenThenOneSuccess(
      Vertx vertx, ServiceBreaker breaker, int failures) {
    return failTimes(breaker, failures)
        .compose(opened -> halfOpen(vertx, breaker))
        .compose(halfOpen -> succeed(breaker));
  }

  private static Future<Void> halfOpen(Vertx vertx, ServiceBreaker breaker) {
    return Eventually.until(vertx, () -> breaker.state() == CircuitState.HALF_OPEN, 5_000);
  }

  /** Runs {@code times} failing calls through the breaker, one after the other. */
  private static Future<Void> failTimes(ServiceBreaker breaker, int times) {
    return InSequence.times(
        times,
        () ->
            breaker
                .<Void>execute(() -> Future.failedFuture("HTTP 503"))
                .transform(
                    failed -> {
                      breaker.recordFailure("HTTP 503");
                      return Future.<Void>succeededFuture();
                    }));
  }

  private static Future<Void> succeed(ServiceBreaker breaker) {
    return breaker
        .<Void>execute(() -> Future.succeededFuture())
        .onSuccess(ok -> breaker.recordSuccess());
  }
}
