package io.extrophi.orchestrator.state;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the outcome of the state writes and says when they fail, without repeating itself: the
 * first failed write is logged with its reason, further failures at most once per {@link
 * #SUMMARY_INTERVAL} as one line with their count, and the first write that succeeds again with a
 * line of its own. Plain Java, with the time from an injected clock.
 */
public final class PersistenceHealth {

  /** How often a run of failed writes is summarised in the log. */
  public static final Duration SUMMARY_INTERVAL = Duration.ofMinutes(1);

  private static final Logger LOG = LoggerFactory.getLogger(PersistenceHealth.class);

  private final String path;
  private final Clock clock;
  private PersistenceStatus status = new PersistenceStatus(PersistenceStatus.OK, null, null, 0);

  /** The first failure of the current run, {@code null} while writes succeed. */
  private Instant failingSince;

  private long failuresInRun;
  private long failuresSinceLogged;
  private Instant lastLogged;

  public PersistenceHealth(String path, Clock clock) {
    this.path = path;
    this.clock = clock;
  }

  public PersistenceStatus status() {
    return status;
  }

  /** A write succeeded: the state on disk is the one of the moment it started. */
  public PersistenceStatus saved() {
    Instant now = clock.instant();
    if (failingSince != null) {
      LOG.info(
          "writing {} again, after {} failed writes since {}", path, failuresInRun, failingSince);
      failingSince = null;
      failuresInRun = 0;
    }
    status = new PersistenceStatus(PersistenceStatus.OK, null, now, status.failedWrites());
    return status;
  }

  /** A write failed; the next flush tries again. */
  public PersistenceStatus failed(Throwable failure) {
    Instant now = clock.instant();
    String reason = WriteFailureReason.of(failure);
    failuresInRun++;
    if (failingSince == null) {
      failingSince = now;
      failuresSinceLogged = 0;
      lastLogged = now;
      LOG.warn(
          "could not write {}: {}; the state is not being saved until a write succeeds"
              + " (failures are summarised once a minute)",
          path,
          reason);
    } else {
      failuresSinceLogged++;
      if (!now.isBefore(lastLogged.plus(SUMMARY_INTERVAL))) {
        LOG.warn(
            "still cannot write {}: {} more failed writes in the last {} s, the last: {}"
                + " (nothing saved since {})",
            path,
            failuresSinceLogged,
            Duration.between(lastLogged, now).toSeconds(),
            reason,
            status.lastSaved() == null ? "the start" : status.lastSaved());
        failuresSinceLogged = 0;
        lastLogged = now;
      }
    }
    status =
        new PersistenceStatus(
            PersistenceStatus.FAILING, reason, status.lastSaved(), status.failedWrites() + 1);
    return status;
  }
}
