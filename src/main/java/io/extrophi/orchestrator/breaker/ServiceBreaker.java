package io.extrophi.orchestrator.breaker;

import io.extrophi.orchestrator.bus.BreakerTransition;
import io.extrophi.orchestrator.bus.CircuitState;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One service's circuit: a vertx-circuit-breaker {@link CircuitBreaker} as the mechanism (it
 * rejects calls while open, lets exactly one call through when half-open, runs the reset timer and
 * enforces the call deadline) with {@link BreakerStateMachine} as the semantics.
 *
 * <p>The library alone does not match the spec: it counts failures in a 10 s rolling window (at a
 * 30 s interval it would never open) and closes on the first half-open success. So the library is
 * told never to open by itself ({@code maxFailures = Integer.MAX_VALUE}); the state machine counts
 * consecutive outcomes and forces the library open when it must. The library closes itself after
 * the first half-open success, which simply lets the next probes through while the state machine
 * still reports {@code half_open} until the success threshold is met.
 *
 * <p>Not thread-safe: used from the event loop of the verticle that created it.
 */
public final class ServiceBreaker {

  private static final Logger LOG = LoggerFactory.getLogger(ServiceBreaker.class);

  private final String service;
  private final CircuitBreaker circuitBreaker;
  private final BreakerStateMachine stateMachine;
  private final BreakerSettings settings;
  private final Consumer<BreakerTransition> transitions;
  private final Clock clock;

  /**
   * @param transitions receives every state change exactly once, after it happened
   */
  public ServiceBreaker(
      Vertx vertx,
      String service,
      BreakerSettings settings,
      Consumer<BreakerTransition> transitions,
      Clock clock) {
    this.service = service;
    this.settings = settings;
    this.transitions = transitions;
    this.clock = clock;
    this.stateMachine =
        new BreakerStateMachine(settings.failureThreshold(), settings.successThreshold());
    CircuitBreakerOptions options =
        new CircuitBreakerOptions()
            .setMaxFailures(Integer.MAX_VALUE)
            .setTimeout(settings.callTimeout().toMillis())
            .setResetTimeout(settings.resetTimeout().toMillis())
            .setFallbackOnFailure(false)
            .setNotificationAddress(null);
    this.circuitBreaker =
        CircuitBreaker.create("orchestrator-" + service, vertx, options)
            .halfOpenHandler(ignored -> onResetTimeoutElapsed());
  }

  public String service() {
    return service;
  }

  public CircuitState state() {
    return stateMachine.state();
  }

  /**
   * Runs {@code call} through the circuit. The future fails with {@link
   * io.vertx.circuitbreaker.OpenCircuitException} without calling {@code call} while the circuit is
   * open, and with {@link io.vertx.circuitbreaker.TimeoutException} when the call outlives the call
   * timeout. The outcome is not recorded here: the caller decides what counts as success and
   * reports it with {@link #recordSuccess()} or {@link #recordFailure(String)}.
   */
  public <T> Future<T> execute(Supplier<Future<T>> call) {
    return circuitBreaker.execute(call);
  }

  public void recordSuccess() {
    publish(stateMachine.recordSuccess());
  }

  public void recordFailure(String detail) {
    Optional<BreakerStateMachine.Transition> transition = stateMachine.recordFailure(detail);
    // A failed half-open call has already re-opened the library (and started its reset timer);
    // opening it again would start a second timer and shorten the next open period.
    if (transition.isPresent()
        && transition.get().to() == CircuitState.OPEN
        && circuitBreaker.state() != CircuitBreakerState.OPEN) {
      circuitBreaker.open();
    }
    publish(transition);
  }

  /**
   * Continues from a state saved before a restart, without publishing a transition (nothing
   * changed). A restored open circuit waits a full reset timeout from now: the time it spent open
   * before the restart is not known precisely enough to shorten it safely.
   */
  public void restore(CircuitState savedState, int savedConsecutiveFailures) {
    stateMachine.restore(savedState, savedConsecutiveFailures);
    if (savedState == CircuitState.OPEN) {
      circuitBreaker.open();
    }
  }

  /** Releases the library breaker; pending reset timers become no-ops. */
  public void close() {
    circuitBreaker.close();
  }

  private void onResetTimeoutElapsed() {
    publish(stateMachine.resetTimeoutElapsed(DurationText.of(settings.resetTimeout())));
  }

  private void publish(Optional<BreakerStateMachine.Transition> transition) {
    transition.ifPresent(
        change -> {
          BreakerTransition event =
              new BreakerTransition(
                  service, change.from(), change.to(), change.reason(), clock.instant());
          if (change.to() == CircuitState.OPEN) {
            LOG.warn(event.describe());
          } else {
            LOG.info(event.describe());
          }
          transitions.accept(event);
        });
  }
}
