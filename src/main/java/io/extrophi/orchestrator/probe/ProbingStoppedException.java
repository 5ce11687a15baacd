package io.extrophi.orchestrator.probe;

/**
 * Why a probe that was waiting for a slot was never sent: the probe verticle is stopping. Not a
 * failure of the service; a stopped monitor reports no result for it. Stackless, as it is raised
 * for every waiting probe of a large fleet at once.
 */
final class ProbingStoppedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  static final ProbingStoppedException INSTANCE = new ProbingStoppedException();

  private ProbingStoppedException() {
    super("probing stopped", null, false, false);
  }
}
