package io.extrophi.orchestrator.testing;

import io.extrophi.orchestrator.api.HealthChecker;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The events that prove time has passed, for a test that asserts that nothing more happened: later
 * probe rounds, recorded by the orchestrator itself, or by a witness probing at the same interval.
 * A fixed delay proves nothing on a busy machine (the rounds it stands for may not have run); a
 * later round does.
 */
public final class LaterRounds {

  private static final long POLL_MS = 20;

  private LaterRounds() {}

  /**
   * Completes once {@code service} has {@code rounds} more results in {@code checker}'s status than
   * it has now: every result of those rounds, and what it caused, has been recorded.
   */
  public static Future<Void> of(Vertx vertx, HealthChecker checker, String service, int rounds) {
    return checker
        .status()
        .compose(
            now -> {
              long wanted = ApiClient.totalChecks(now, service) + rounds;
              return until(vertx, checker, service, wanted);
            });
  }

  /**
   * Runs {@code rounds} triggered rounds one after the other: each answers once its results, and
   * what they caused, are recorded. For a service whose scheduled rounds are not counted (its
   * circuit open).
   */
  public static Future<Void> triggered(HealthChecker checker, int rounds) {
    return InSequence.times(rounds, checker::trigger);
  }

  /** Runs {@code rounds} triggered rounds one after the other; what each answered, in order. */
  public static Future<List<JsonObject>> answersOf(HealthChecker checker, int rounds) {
    List<JsonObject> answers = new ArrayList<>();
    return InSequence.times(rounds, () -> checker.trigger().onSuccess(answers::add))
        .map(done -> answers);
  }

  /**
   * Completes once a witness, an orchestrator of its own probing a target of its own every {@code
   * interval}, has run {@code rounds} rounds: for a test whose own orchestrator is stopped and so
   * runs no more rounds to wait for.
   */
  public static Future<Void> ofWitness(Vertx vertx, Duration interval, int rounds) {
    return TargetServer.start(vertx)
        .compose(
            target -> {
              HealthChecker witness =
                  new HealthChecker(vertx, TestConfigs.every(interval, target.url()));
              return witness
                  .start()
                  .compose(started -> of(vertx, witness, "s0", rounds))
                  .compose(done -> witness.stop())
                  .compose(stopped -> target.close());
            });
  }

  private static Future<Void> until(
      Vertx vertx, HealthChecker checker, String service, long wanted) {
    return checker
        .status()
        .compose(
            status ->
                ApiClient.totalChecks(status, service) >= wanted
                    ? Future.<Void>succeededFuture()
                    : Eventually.after(vertx, POLL_MS)
                        .compose(waited -> until(vertx, checker, service, wanted)));
  }
}
