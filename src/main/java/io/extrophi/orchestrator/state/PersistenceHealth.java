package io.extrophi.orchestrator.state;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;
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
  private final Consumer<String> warn;
  private final Consumer<String> info;
  private PersistenceStatus status = new PersistenceStatus(PersistenceStatus.OK, null, null, 0);

  /** The first failure of the current run, {@code null} while writes succeed. */
  private Instant failingSince;

  private long failuresInRun;
  private long failuresSinceLogged;
  private Instant lastLogged;

  /** Logs to this class's logger. */
  public PersistenceHealth(String path, Clock clock) {
    this(path, clock, LOG::warn, LOG::info);
  }

  /**
   * @param warn where the lines about failures go
   * @param info where the line about writing again goes
   */
  public PersistenceHealth(String path, Clock clock, Consumer<String> warn, Consumer<String> info) {
    this.path = path;
    this.clock = clock;
    this.warn = warn;
    this.info = info;
  }

  public PersistenceStatus status() {
    return status;
  }

  /** A write succeeded: the state on disk is the one of the moment it started. */
  public PersistenceStatus saved() {
    Instant now = clock.instant();
    if (failingSince != null) {
      info.accept(
          "writing %s again, after %d failed writes since %s"
              .formatted(path, failuresInRun, failingSince));
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
      warn.accept(
          ("could not write %s: %s; the state is not being saved until a write succeeds"
                  + " (further failures are summarised once a minute)")
              .formatted(path, reason));
    } else {
      failuresSinceLogged++;
      if (!now.isBefore(lastLogged.plus(SUMMARY_INTERVAL))) {
        warn.accept(
            "still cannot write %s: %d more failed writes in the last %d s, the last: %s (nothing saved since %s)"
                .formatted(
                    path,
                    failuresSinceLogged,
                    Duration.between(lastLogged, now).toSeconds(),
                    reason,
                    status.lastSaved() == null ? "the start" : status.lastSaved()));
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
