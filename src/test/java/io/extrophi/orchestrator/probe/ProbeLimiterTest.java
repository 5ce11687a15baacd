package io.extrophi.orchestrator.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.testing.UnitTest;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

@UnitTest
class ProbeLimiterTest {

  @Test
  void startsAtMostTheCapAndTheRestInArrivalOrderAsSlotsFree() {
    ProbeLimiter limiter = new ProbeLimiter(2);
    List<Promise<String>> running = new ArrayList<>();
    List<Integer> started = new ArrayList<>();
    List<Future<String>> results = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      int id = i;
      results.add(
          limiter.submit(
              () -> {
                started.add(id);
                Promise<String> promise = Promise.promise();
                running.add(promise);
                return promise.future();
              }));
    }
    assertThat(started).containsExactly(0, 1);
    assertThat(limiter.inFlight()).isEqualTo(2);
    assertThat(limiter.waiting()).isEqualTo(3);

    running.get(1).complete("one");
    assertThat(started).containsExactly(0, 1, 2);
    assertThat(results.get(1).result()).isEqualTo("one");

    running.get(0).fail("boom");
    assertThat(started).containsExactly(0, 1, 2, 3);
    assertThat(results.get(0).failed()).isTrue();
    assertThat(limiter.inFlight()).isEqualTo(2);
  }

  @Test
  void aTaskThatThrowsReleasesItsSlot() {
    ProbeLimiter limiter = new ProbeLimiter(1);
    Future<String> failed =
        limiter.submit(
            () -> {
              throw new IllegalStateException("bad task");
            });
    assertThat(failed.failed()).isTrue();
    assertThat(limiter.inFlight()).isZero();
  }

  @Test
  void growingTheCapStartsWaitingTasks() {
    ProbeLimiter limiter = new ProbeLimiter(1);
    List<Integer> started = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      int id = i;
      limiter.submit(
          () -> {
            started.add(id);
            return Promise.<Void>promise().future();
          });
    }
    assertThat(started).containsExactly(0);
    limiter.resize(3);
    assertThat(started).containsExactly(0, 1, 2);
  }
}
