package io.extrophi.orchestrator;

import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the Vert.x launcher deploys: the main verticle, with patience.
 *
 * <p>The launcher waits at most two minutes for its deployment, then ends the process ("Timed out
 * in deploying verticle"), and offers no way to wait longer. A start that restores the state of a
 * large fleet, or copies it from a cluster, can take longer than that on a loaded machine (a filled
 * state of 30,000 services did, at load average 30 on 2 cores; see docs/benchmarks.md). So this
 * deployment reports itself to the launcher once the main verticle has started, or after {@link
 * #PATIENCE}, whichever comes first. A main verticle that finishes later is reported when it does,
 * to the same handlers: its failure still ends the process with the status and message it would
 * have had, and the HTTP API answers only once the state is restored, as in any start.
 */
final class PatientStart extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(PatientStart.class);

  /** Well inside the launcher's two minutes, so that its own limit is never reached. */
  static final Duration PATIENCE = Duration.ofSeconds(90);

  private final Duration patience;
  private final Supplier<? extends Deployable> main;
  private final Runnable started;
  private final BiConsumer<Vertx, Throwable> failedLate;

  /**
   * @param patience how long the launcher is kept waiting at most
   * @param main the verticle to deploy, as a child of this one (it stops with it)
   * @param started called once the main verticle has started, however long it took
   * @param failedLate called with this Vert.x when the main verticle fails after the launcher
   *     stopped waiting (a failure before that fails this deployment, and the launcher's hook hears
   *     of it)
   */
  PatientStart(
      Duration patience,
      Supplier<? extends Deployable> main,
      Runnable started,
      BiConsumer<Vertx, Throwable> failedLate) {
    this.patience = patience;
    this.main = main;
    this.started = started;
    this.failedLate = failedLate;
  }

  @Override
  public Future<?> start() {
    Promise<Void> reported = Promise.promise();
    long timer =
        vertx.setTimer(
            patience.toMillis(),
            fired -> {
              if (reported.tryComplete()) {
                LOG.info(
                    "still starting after {} s (restoring the state of the fleet); the HTTP API"
                        + " answers once it is done",
                    patience.toSeconds());
              }
            });
    vertx
        .deployVerticle(main.get())
        .onComplete(
            deployed -> {
              vertx.cancelTimer(timer);
              if (deployed.succeeded()) {
                started.run();
                reported.tryComplete();
              } else if (!reported.tryFail(deployed.cause())) {
                failedLate.accept(vertx, deployed.cause());
              }
            });
    return reported.future();
  }
}
