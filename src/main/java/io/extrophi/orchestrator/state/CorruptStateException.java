package io.extrophi.orchestrator.state;

/**
 * Thrown when persisted statistics cannot be decoded: wrong type tag, unknown format version,
 * truncated input or values out of range.
 *
 * <p>It extends {@link IllegalArgumentException} because the cause is always the input handed to a
 * {@code readFrom} method, so callers that already treat bad arguments can keep doing so; callers
 * restoring a state file catch this type to fall back to empty statistics.
 */
public final class CorruptStateException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  public CorruptStateException(String message) {
    super(message);
  }

  public CorruptStateException(String message, Throwable cause) {
    super(message, cause);
  }
}
