package io.extrophi.orchestrator.state;

/**
 * The state file exists but could not be read at all: no permission, an I/O error, not enough
 * memory. Unlike a corrupt file it is left where it is, and the service does not start, so that
 * what it holds is not overwritten by a fresh state; the message says what to do.
 */
public final class StateUnreadableException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  StateUnreadableException(String path, Throwable cause) {
    super(
        "cannot read the state file "
            + path
            + " ("
            + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage())
            + "); it was left untouched. Fix the cause (permissions, or a larger heap with"
            + " JAVA_OPTS=-Xmx...), or move the file away to start with empty statistics",
        cause,
        false,
        false);
  }
}
