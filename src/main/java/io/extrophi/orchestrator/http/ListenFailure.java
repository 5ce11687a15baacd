package io.extrophi.orchestrator.http;

/**
 * A server could not bind its address. The message names what wanted the address, so the operator
 * knows which setting or which other process to look at.
 */
public final class ListenFailure extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private ListenFailure(String message, Throwable cause) {
    super(message, cause, false, false);
  }

  /**
   * @param what who wanted to listen, e.g. {@code the HTTP API}
   */
  public static ListenFailure of(String what, String host, int port, Throwable cause) {
    String reason =
        cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    // The native transport words it "bind(..) failed with error(-98): Address already in use";
    // the operator needs only the part after the system call.
    reason = reason.replaceFirst("^\\w+\\(\\.\\.\\) failed with error\\(-?\\d+\\): ", "");
    return new ListenFailure(
        "cannot listen on " + host + ":" + port + " for " + what + ": " + reason, cause);
  }
}
