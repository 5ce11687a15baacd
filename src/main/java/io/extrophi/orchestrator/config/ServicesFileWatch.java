package io.extrophi.orchestrator.config;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.file.FileSystem;
import java.nio.file.NoSuchFileException;

/**
 * Cheap polling for edits of the services file: one non-blocking {@code stat}, no read.
 *
 * <p>Intended use: take a stamp, {@linkplain ConfigLoader#load load} the configuration, then every
 * {@link RuntimeSettings#reloadCheckInterval()} take a new stamp and reload when it differs. Taking
 * the stamp <em>before</em> loading means an edit made while loading is seen by the next poll
 * rather than lost. A file that appears or disappears counts as a change, because either changes
 * where the services come from.
 */
public final class ServicesFileWatch {

  private ServicesFileWatch() {}

  /**
   * The stamp of the services file of {@code config} ({@link RuntimeSettings#servicesFile()}), or
   * {@link FileStamp#ABSENT} when it has none.
   */
  public static Future<FileStamp> stamp(Vertx vertx, OrchestratorConfig config) {
    return stamp(vertx, config.runtime().servicesFile());
  }

  /**
   * The stamp of {@code path} (relative to the working directory), {@link FileStamp#ABSENT} when it
   * is {@code null} or does not exist.
   *
   * @return the stamp; fails only when the file exists but cannot be examined
   */
  public static Future<FileStamp> stamp(Vertx vertx, String path) {
    if (path == null) {
      return Future.succeededFuture(FileStamp.ABSENT);
    }
    FileSystem fileSystem = vertx.fileSystem();
    return fileSystem
        .exists(path)
        .compose(
            exists ->
                exists
                    ? fileSystem
                        .props(path)
                        .map(props -> FileStamp.of(props.lastModifiedTime(), props.size()))
                        .recover(cause -> absentIfGone(cause))
                    : Future.succeededFuture(FileStamp.ABSENT));
  }

  // Removed between the two calls: that is an absent file, not an error.
  private static Future<FileStamp> absentIfGone(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof NoSuchFileException) {
        return Future.succeededFuture(FileStamp.ABSENT);
      }
    }
    return Future.failedFuture(cause);
  }
}
