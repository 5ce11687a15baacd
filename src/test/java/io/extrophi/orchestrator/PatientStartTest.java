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

  /** A main verticle whose start completes, or fails, when the test completes its promise. */
  private static final class SlowMain extends VerticleBase {
    final Promise<Void> start = Promise.promise();
    final CompletableFuture<Void> asked = new CompletableFuture<>();

    @Override
    public Future<?> start() {
      asked.complete(null);
      return start.future();
    }
  }

  @Test
  void theLauncherStopsWaitingAfterThePatienceWhileTheMainVerticleStillStarts(Vertx vertx)
      throws Exception {
    SlowMain main = new SlowMain();
    CompletableFuture<Void> started = new CompletableFuture<>();
    CompletableFuture<Throwable> failedLate = new CompletableFuture<>();

    vertx
        .deployVerticle(
            new PatientStart(
                NO_PATIENCE,
                () -> main,
                () -> started.complete(null),
                (ignored, failure) -> failedLate.complete(failure)))
        .await(30, TimeUnit.SECONDS);
    assertThat(started).isNotDone();

    vertx.runOnContext(go -> main.start.complete());

    started.get(30, TimeUnit.SECONDS);
    assertThat(failedLate).isNotDone();
  }

  @Test
  void aFailureAfterThePatienceGoesToTheLateHandlerWithTheCause(Vertx vertx) throws Exception {
    SlowMain main = new SlowMain();
    CompletableFuture<Void> started = new CompletableFuture<>();
    CompletableFuture<Throwable> failedLate = new CompletableFuture<>();
    IllegalStateException cause = new IllegalStateException("the state could not be restored");

    vertx
        .deployVerticle(
            new PatientStart(
                NO_PATIENCE,
                () -> main,
                () -> started.complete(null),
                (ignored, failure) -> failedLate.complete(failure)))
        .await(30, TimeUnit.SECONDS);
    vertx.runOnContext(go -> main.start.fail(cause));

    assertThat(failedLate.get(30, TimeUnit.SECONDS)).isSameAs(cause);
    assertThat(started).isNotDone();
  }

  @Test
  void aStartWithinThePatienceIsReportedWhenItEnds(Vertx vertx) throws Exception {
    SlowMain main = new SlowMain();
    CompletableFuture<Void> started = new CompletableFuture<>();
    Future<String> deployed =
        vertx.deployVerticle(
            new PatientStart(
                ALL_PATIENCE,
                () -> main,
                () -> started.complete(null),
                (ignored, failure) -> {
                  throw new AssertionError("not late", failure);
                }));
    main.asked.get(30, TimeUnit.SECONDS);
    assertThat(deployed.isComplete()).isFalse();

    vertx.runOnContext(go -> main.start.complete());

    deployed.await(30, TimeUnit.SECONDS);
    assertThat(started).isDone();
  }

  @Test
  void aFailureWithinThePatienceFailsTheDeploymentForTheLaunchersHook(Vertx vertx)
      throws Exception {
    SlowMain main = new SlowMain();
    CompletableFuture<Throwable> failedLate = new CompletableFuture<>();
    IllegalStateException cause = new IllegalStateException("port in use");
    Future<String> deployed =
        vertx.deployVerticle(
            new PatientStart(
                ALL_PATIENCE,
                () -> main,
                () -> {},
                (ignored, failure) -> failedLate.complete(failure)));
    main.asked.get(30, TimeUnit.SECONDS);

    vertx.runOnContext(go -> main.start.fail(cause));

    Throwable failure =
        deployed.transform(Future::succeededFuture).await(30, TimeUnit.SECONDS).cause();
    assertThat(failure).isSameAs(cause);
    assertThat(failedLate).isNotDone();
  }
}
