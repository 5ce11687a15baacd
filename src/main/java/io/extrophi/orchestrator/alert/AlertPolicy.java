package io.extrophi.orchestrator.alert;

import io.extrophi.orchestrator.bus.HealthState;
import io.extrophi.orchestrator.bus.HealthTransition;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * Which health transitions are worth an alert: every one that tells a receiver something new.
 *
 * <p>Two kinds tell nothing new. {@code unknown -> healthy} is the first successful check after a
 * start; alerting on it would page someone at every restart. And an open circuit lets one trial
 * probe through every reset timeout, which shows as {@code circuit_open -> unhealthy} and, when the
 * trial fails, {@code unhealthy -> circuit_open} again: a service that stays down would otherwise
 * alert twice a minute. A trial that succeeds ends in {@code unhealthy -> healthy}, which alerts.
 *
 * <p>{@code unknown -> unhealthy} (a service already down at start-up) alerts: after a restart a
 * receiver may hear it twice, but never not at all.
 */
final class AlertPolicy {

  /** Services whose open circuit is letting a trial probe through. */
  private final Set<String> onTrial = new HashSet<>();

  /** Whether {@code change} alerts; remembers what it needs to judge the next change. */
  boolean shouldAlert(HealthTransition change) {
    if (change.from() == HealthState.UNKNOWN && change.to() == HealthState.HEALTHY) {
      return false;
    }
    if (change.from() == HealthState.CIRCUIT_OPEN && change.to() != HealthState.HEALTHY) {
      onTrial.add(change.service());
      return false;
    }
    boolean trialEnded = onTrial.remove(change.service());
    return !(trialEnded && change.to() == HealthState.CIRCUIT_OPEN);
  }

  /** Forgets the services that are no longer configured. */
  void retain(Collection<String> services) {
    onTrial.retainAll(Set.copyOf(services));
  }
}
