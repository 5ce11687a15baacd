package io.extrophi.orchestrator.state;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link DataDirectoryLock} as the status verticle holds it: taken before the state file is
 * read, checked before every write, released after the last write of a clean stop.
 *
 * <p>A directory that cannot be locked at all at start (a file where it should be, no permission,
 * no space for the lock file) does not stop the service, any more than a write that fails does: it
 * says so once and tries again before each write, and writes only once the lock is held or cannot
 * be had for such a reason. Only a lock held by another instance stops a start, or a write.
 */
public final class DataDirectoryClaim {

  private static final Logger LOG = LoggerFactory.getLogger(DataDirectoryClaim.class);

  private final Vertx vertx;
  private final String directory;
  private DataDirectoryLock lock;
  private boolean warned;

  public DataDirectoryClaim(Vertx vertx, String directory) {
    this.vertx = vertx;
    this.directory = directory;
  }

  /**
   * Takes the lock, before anything in the directory is read.
   *
   * @return failed with a {@link DataDirectoryLockedException} when another instance holds it
   */
  public Future<Void> take() {
    return ensureHeld();
  }

  /**
   * Makes sure the lock is held before a write.
   *
   * @return failed with a {@link DataDirectoryLockedException} when another instance holds it;
   *     succeeded when the lock is held, or cannot be had for a reason that is no other instance
   */
  public Future<Void> ensureHeld() {
    if (lock != null) {
      return Future.succeededFuture();
    }
    return vertx
        .executeBlocking(() -> DataDirectoryLock.acquire(directory), false)
        .recover(
            failure -> {
              if (!(failure instanceof IOException unlockable)) {
                return Future.failedFuture(failure);
              }
              if (!warned) {
                warned = true;
                LOG.warn(
                    "cannot lock the data directory {} ({}); tried again before each write, until"
                        + " then a second instance on it would not be turned away",
                    directory,
                    WriteFailureReason.of(unlockable));
              }
              return Future.succeededFuture(null);
            })
        .map(
            acquired -> {
              if (acquired != null && warned) {
                LOG.info("locked the data directory {} ({})", directory, acquired.file());
              }
              lock = acquired;
              return null;
            });
  }

  /** Releases the lock, after the last write: the next instance may start at once. */
  public Future<Void> release() {
    DataDirectoryLock held = lock;
    lock = null;
    if (held == null) {
      return Future.succeededFuture();
    }
    return vertx
        .<Void>executeBlocking(
            () -> {
              held.close();
              return null;
            },
            false)
        .recover(
            failed -> {
              // The lock died with the channel regardless; nothing for the operator to do.
              LOG.debug("releasing {}: {}", held.file(), failed.toString());
              return Future.succeededFuture();
            });
  }
}
