package io.extrophi.orchestrator.state;

/**
 * Another instance holds the lock of the data directory ({@link DataDirectoryLock}): this one does
 * not start, so that the two never write the same state file. The message names the directory and
 * the holder, and what to do.
 */
public final class DataDirectoryLockedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String holder;

  DataDirectoryLockedException(String directory, String holder) {
    super(
        "the data directory "
            + directory
            + " is in use by another orchestrator (pid@host "
            + holder
            + ", holding "
            + DataDirectoryLock.FILE_NAME
            + " in it); stop that one, or give this one a DATA_DIR of its own",
        null,
        false,
        false);
    this.holder = holder;
  }

  /** Who holds the lock: {@code <pid>@<host>} as the holder wrote it. */
  public String holder() {
    return holder;
  }
}
