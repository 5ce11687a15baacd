package io.extrophi.orchestrator.probe;

import io.extrophi.orchestrator.breaker.ServiceBreaker;
import io.extrophi.orchestrator.bus.CircuitState;
import io.extrophi.orchestrator.bus.ProbeResult;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks one service: sends its probe through its circuit, records the outcome in the circuit and
 * hands the result on. At most one probe per service is in flight; a check requested meanwhile
 * joins it instead of sending another.
 *
 * <p>Not thread-safe: used from the event loop of the probe verticle.
 */
public final class ServiceMonitor {

  private static final Logger LOG = LoggerFactory.getLogger(ServiceMonitor.class);

  private final ServiceProbe probe;
  private final ServiceBreaker breaker;
  private final ProbeLimiter limiter;
  private final Consumer<ProbeResult> results;
  private Future<Optional<ProbeResult>> inFlight;
  private boolean closed;
  private boolean abandoned;

  /** The reason of the last failure logged at WARN, until a success; {@code null} after one. */
  private String lastLoggedFailure;

  /**
   * @param limiter caps the probes in flight across all services
   * @param results receives every probe that was really sent, once, before the check completes
   */
  ServiceMonitor(
      ServiceProbe probe,
      ServiceBreaker breaker,
      ProbeLimiter limiter,
      Consumer<ProbeResult> results) {
    this.probe = probe;
    this.breaker = breaker;
    this.limiter = limiter;
    this.results = results;
  }

  public ServiceBreaker breaker() {
    return breaker;
  }

  public String service() {
    return probe.service().name();
  }

  public boolean isProbing() {
    return inFlight != null;
  }

  /**
   * Checks the service now, or joins the probe already in flight.
   *
   * @return the probe result, or empty when the open circuit skipped the check (not a probe)
   */
  public Future<Optional<ProbeResult>> check() {
    return check(() -> {});
  }

  /**
   * Like {@link #check()}; {@code onSend} runs at the moment a new probe is really sent (after
   * waiting for a slot under the in-flight cap), which is when a scheduled probe "fires".
   */
  public Future<Optional<ProbeResult>> check(Runnable onSend) {
    if (inFlight != null) {
      return inFlight;
    }
    // An open circuit answers at once, so it need not wait for a slot.
    Future<ProbeResult> probed =
        breaker.state() == CircuitState.OPEN
            ? breaker.execute(this::sendCountingFailuresAsErrors)
            : limiter.submit(
                () -> {
                  onSend.run();
                  return breaker.execute(this::sendCountingFailuresAsErrors);
                });
    Future<Optional<ProbeResult>> check =
        probed
            .map(Optional::of)
            .recover(this::unwrapFailure)
            // A probe cut off by a stop says nothing about the service: no result at all.
            .map(result -> abandoned ? Optional.<ProbeResult>empty() : result)
            .onSuccess(result -> result.ifPresent(this::record))
            .onComplete(ignored -> inFlight = null);
    // A check can complete synchronously (open circuit); only remember one still running.
    if (!check.isComplete()) {
      inFlight = check;
    }
    return check;
  }

  /** The circuit counts failed futures, so an unhealthy result travels as a failure. */
  private Future<ProbeResult> sendCountingFailuresAsErrors() {
    return probe
        .send()
        .compose(
            result ->
                result.healthy()
                    ? Future.succeededFuture(result)
                    : Future.failedFuture(new UnhealthyResultException(result)));
  }

  private Future<Optional<ProbeResult>> unwrapFailure(Throwable failure) {
    if (failure instanceof OpenCircuitException) {
      return Future.succeededFuture(Optional.empty());
    }
    if (failure instanceof UnhealthyResultException unhealthy) {
      return Future.succeededFuture(Optional.of(unhealthy.result()));
    }
    return Future.succeededFuture(Optional.of(probe.describeFailure(failure)));
  }

  private void record(ProbeResult result) {
    if (result.healthy()) {
      LOG.debug(
          "probe {}: healthy (HTTP {}, {} ms)",
          service(),
          result.statusCode(),
          result.responseTimeMs());
      lastLoggedFailure = null;
    } else if (!String.valueOf(result.errorMessage()).equals(lastLoggedFailure)) {
      LOG.warn("probe {}: unhealthy ({})", service(), result.errorMessage());
      lastLoggedFailure = String.valueOf(result.errorMessage());
    } else {
      // Said once when it started (and once more if the reason changes): a dead service probed
      // every second would otherwise repeat the same line every second.
      LOG.debug("probe {}: still unhealthy ({})", service(), result.errorMessage());
    }
    // The result goes out before the transition it causes, so subscribers see them in order.
    // A probe that was in flight when a reload replaced this monitor still reached its target,
    // so it is still counted; only the retired circuit no longer cares.
    results.accept(result);
    if (closed) {
      return;
    }
    if (result.healthy()) {
      breaker.recordSuccess();
    } else {
      breaker.recordFailure(result.errorMessage());
    }
  }

  /** Retires this monitor: releases the circuit's timers; a probe in flight is still reported. */
  public void close() {
    closed = true;
    breaker.close();
  }

  /**
   * Retires this monitor for a stop: like {@link #close()}, but a probe in flight (which the stop
   * cuts off) or still waiting for a slot ends without a result, neither success nor failure, so
   * nothing about it is published, recorded or alerted.
   *
   * @return whether a probe was in flight or waiting, and is now abandoned
   */
  public boolean abandon() {
    abandoned = true;
    close();
    return inFlight != null;
  }

  /** Carries an unhealthy result through the circuit breaker, which only sees failed futures. */
  private static final class UnhealthyResultException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient ProbeResult result;

    UnhealthyResultException(ProbeResult result) {
      super(result.errorMessage(), null, false, false);
      this.result = result;
    }

    ProbeResult result() {
      return result;
    }
  }
}
