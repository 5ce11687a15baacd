package io.extrophi.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.testing.UnitTest;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The launcher gives up on a deployment after two minutes; {@link PatientStart} keeps it from doing
 * so for a main verticle that takes longer (a large state to restore), while a start that ends in
 * time, well or badly, is reported exactly as before. Each main verticle here starts when the test
 * says so, not after a delay.
 */
@UnitTest
@ExtendWith(VertxExtension.class)
class PatientStartTest {

  private static final Duration NO_PATIENCE = Duration.ofMillis(1);
  private static final Duration ALL_PATIENCE = Duration.ofDays(1);

  /**
   * A main verticle whose start completes, or fails, when the test completes its promise, and what
   * {@link PatientStart} reported of it.
   */
  private static final class SlowMain extends VerticleBase {
    final Promise<Void> start = Promise.promise();
    final CompletableFuture<Void> asked = new CompletableFuture<>();
    final CompletableFuture<Void> started = new CompletableFuture<>();
    final CompletableFuture<Throwable> failedLate = new CompletableFuture<>();

    @Override
    public Future<?> start() {
      asked.complete(null);
      return start.future();
    }

    /** This verticle inside a {@link PatientStart} with this patience. */
    PatientStart patiently(Duration patience) {
      return new PatientStart(
          patience,
          () -> this,
          () -> started.complete(null),
          (ignored, failure) -> failedLate.complete(failure));
    }
  }

  @Test
  void theLauncherStopsWaitingAfterThePatienceWhileTheMainVerticleStillStarts(Vertx vertx)
      throws Exception {
    SlowMain main = new SlowMain();

    vertx.deployVerticle(main.patiently(NO_PATIENCE)).await(30, TimeUnit.SECONDS);
    assertThat(main.started).isNotDone();

    vertx.runOnContext(go -> main.start.complete());

    main.started.get(30, TimeUnit.SECONDS);
    assertThat(main.failedLate).isNotDone();
  }

  @Test
  void aFailureAfterThePatienceGoesToTheLateHandlerWithTheCause(Vertx vertx) throws Exception {
    SlowMain main = new SlowMain();
    IllegalStateException cause = new IllegalStateException("the state could not be restored");

    vertx.deployVerticle(main.patiently(NO_PATIENCE)).await(30, TimeUnit.SECONDS);
    vertx.runOnContext(go -> main.start.fail(cause));

    assertThat(main.failedLate.get(30, TimeUnit.SECONDS)).isSameAs(cause);
    assertThat(main.started).isNotDone();
  }

  @Test
  void aStartWithinThePatienceIsReportedWhenItEnds(Vertx vertx) throws Exception {
    SlowMain main = new SlowMain();
    Future<String> deployed = vertx.deployVerticle(main.patiently(ALL_PATIENCE));
    main.asked.get(30, TimeUnit.SECONDS);
    assertThat(deployed.isComplete()).isFalse();

    vertx.runOnContext(go -> main.start.complete());

    deployed.await(30, TimeUnit.SECONDS);
    assertThat(main.started).isDone();
    assertThat(main.failedLate).isNotDone();
  }

  @Test
  void aFailureWithinThePatienceFailsTheDeploymentForTheLaunchersHook(Vertx vertx)
      throws Exception {
    SlowMain main = new SlowMain();
    IllegalStateException cause = new IllegalStateException("port in use");
    Future<String> deployed = vertx.deployVerticle(main.patiently(ALL_PATIENCE));
    main.asked.get(30, TimeUnit.SECONDS);

    vertx.runOnContext(go -> main.start.fail(cause));

    Throwable failure =
        deployed.transform(Future::succeededFuture).await(30, TimeUnit.SECONDS).cause();
    assertThat(failure).isSameAs(cause);
    assertThat(main.failedLate).isNotDone();
    assertThat(main.started).isNotDone();
  }
}
