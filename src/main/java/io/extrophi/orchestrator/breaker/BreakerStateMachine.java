package io.extrophi.orchestrator.breaker;

import io.extrophi.orchestrator.bus.CircuitState;
import java.util.Optional;

/**
 * The circuit semantics of the orchestrator as plain, single-threaded logic: no Vert.x, no clock.
 *
 * <ul>
 *   <li>closed: {@code failureThreshold} <em>consecutive</em> failures open it; a success resets
 *       the count. How far apart the failures are does not matter, unlike the rolling window of
 *       vertx-circuit-breaker.
 *   <li>open: left only by {@link #resetTimeoutElapsed(String)}, which the owner calls when the
 *       reset timeout has passed.
 *   <li>half_open: {@code successThreshold} consecutive successes close it; a single failure
 *       re-opens it.
 * </ul>
 *
 * Every method returns the transition it caused, if any, so the caller can log and publish it
 * exactly once.
 */
public final class BreakerStateMachine {

  /** A state change and the human-readable reason for it. */
  public record Transition(CircuitState from, CircuitState to, String reason) {}

  private final int failureThreshold;
  private final int successThreshold;
  private CircuitState state = CircuitState.CLOSED;
  private int consecutiveFailures;
  private int halfOpenSuccesses;

  public BreakerStateMachine(int failureThreshold, int successThreshold) {
    if (failureThreshold < 1 || successThreshold < 1) {
      throw new IllegalArgumentException("thresholds must be at least 1");
    }
    this.failureThreshold = failureThreshold;
    this.successThreshold = successThreshold;
  }

  public CircuitState state() {
    return state;
  }

  public int consecutiveFailures() {
    return consecutiveFailures;
  }

  /**
   * Continues from a state saved before a restart. Half-open successes are not saved: a restored
   * half-open circuit needs the full success threshold again.
   */
  public void restore(CircuitState savedState, int savedConsecutiveFailures) {
    state = savedState;
    consecutiveFailures = Math.max(0, savedConsecutiveFailures);
    halfOpenSuccesses = 0;
  }

  /** Records a successful probe. */
  public Optional<Transition> recordSuccess() {
    consecutiveFailures = 0;
    if (state != CircuitState.HALF_OPEN) {
      return Optional.empty();
    }
    halfOpenSuccesses++;
    if (halfOpenSuccesses < successThreshold) {
      return Optional.empty();
    }
    return moveTo(CircuitState.CLOSED, "after " + plural(successThreshold, "consecutive success"));
  }

  /**
   * Records a failed probe.
   *
   * @param detail what failed (e.g. {@code HTTP 503}), quoted in the reason of a re-open
   */
  public Optional<Transition> recordFailure(String detail) {
    consecutiveFailures++;
    if (state == CircuitState.HALF_OPEN) {
      return moveTo(CircuitState.OPEN, "after a failed half-open probe (" + detail + ")");
    }
    if (state == CircuitState.CLOSED && consecutiveFailures >= failureThreshold) {
      return moveTo(
          CircuitState.OPEN, "after " + plural(consecutiveFailures, "consecutive failure"));
    }
    return Optional.empty();
  }

  /**
   * The open period is over: the next check may probe for real.
   *
   * @param elapsed how long the circuit was open, for the reason text
   */
  public Optional<Transition> resetTimeoutElapsed(String elapsed) {
    if (state != CircuitState.OPEN) {
      return Optional.empty();
    }
    return moveTo(CircuitState.HALF_OPEN, "after " + elapsed + " open");
  }

  private Optional<Transition> moveTo(CircuitState next, String reason) {
    CircuitState previous = state;
    state = next;
    halfOpenSuccesses = 0;
    return Optional.of(new Transition(previous, next, reason));
  }

  private static String plural(int count, String noun) {
    if (count == 1) {
      return count + " " + noun;
    }
    return count + " " + (noun.endsWith("s") ? noun + "es" : noun + "s");
  }
}
