package io.extrophi.orchestrator.document;

/**
 * The outcome of reading one response body under a service's format: a report, a body that cannot
 * be read under an explicitly configured format (a failure of the probe, with why), or, under
 * {@code auto} (and {@code status}), a body that is not a health document, so the status code alone
 * judges the probe.
 */
public sealed interface DocumentReading {

  /** The body is a health document. */
  record Read(HealthReport report) implements DocumentReading {}

  /**
   * The body cannot be read under the service's explicit format.
   *
   * @param why what is wrong with it ({@code body is not JSON}), for the probe's error message
   */
  record Unreadable(String why) implements DocumentReading {}

  /** The body is not a document this orchestrator reads; the status code judges the probe. */
  record NotADocument() implements DocumentReading {
    public static final NotADocument INSTANCE = new NotADocument();
  }
}
