package io.extrophi.orchestrator.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.extrophi.orchestrator.testing.UnitTest;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Work in slices leaves the event loop between them: a task queued while a slice runs runs before
 * the next slice, not after the last (an ordering, observed on one real event loop).
 */
@UnitTest
class InTurnsTest {

  private final Vertx vertx = Vertx.vertx();
  private final Context context = vertx.getOrCreateContext();
  private final List<Integer> items = IntStream.range(0, 25).boxed().toList();

  @AfterEach
  void close() throws Exception {
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  @Test
  void aTaskQueuedDuringTheFirstSliceRunsBeforeTheSecond() throws Exception {
    List<Integer> done = new ArrayList<>();
    CompletableFuture<Integer> doneWhenTheTaskRan = new CompletableFuture<>();
    CompletableFuture<Future<Void>> all = new CompletableFuture<>();

    context.runOnContext(
        go -> {
          all.complete(
              InTurns.forEach(
                  context,
                  items,
                  10,
                  item -> {
                    if (item == 0) {
                      context.runOnContext(task -> doneWhenTheTaskRan.complete(done.size()));
                    }
                    done.add(item);
                  },
                  () -> false));
        });

    all.get(30, TimeUnit.SECONDS).await(30, TimeUnit.SECONDS);
    assertThat(doneWhenTheTaskRan.get(30, TimeUnit.SECONDS)).isEqualTo(10);
    assertThat(done).containsExactlyElementsOf(items);
  }

  @Test
  void aStopEndsTheWorkBetweenSlicesAndStillCompletes() throws Exception {
    List<Integer> done = new ArrayList<>();

    startedOnTheLoop(() -> InTurns.forEach(context, items, 10, done::add, () -> done.size() >= 10))
        .await(30, TimeUnit.SECONDS);
    assertThat(done).containsExactlyElementsOf(items.subList(0, 10));
  }

  @Test
  void noItemsCompletesAtOnce() throws Exception {
    Future<Void> none =
        startedOnTheLoop(() -> InTurns.forEach(context, List.of(), 10, item -> {}, () -> false));

    assertThat(none.isComplete()).isTrue();
  }

  @Test
  void aStepThatThrowsFailsTheWorkAndTheStepsAfterItDoNotRun() throws Exception {
    List<Integer> done = new ArrayList<>();

    Future<Void> work =
        startedOnTheLoop(
            () ->
                InTurns.forEach(
                    context,
                    items,
                    10,
                    item -> {
                      if (item == 15) {
                        throw new IllegalStateException("item 15");
                      }
                      done.add(item);
                    },
                    () -> false));
    assertThatThrownBy(() -> work.await(30, TimeUnit.SECONDS)).hasMessageContaining("item 15");
    assertThat(done).containsExactlyElementsOf(items.subList(0, 15));
  }

  /** The work {@code start} begins, begun on the event loop as the verticles begin theirs. */
  private Future<Void> startedOnTheLoop(Supplier<Future<Void>> start) throws Exception {
    CompletableFuture<Future<Void>> started = new CompletableFuture<>();
    context.runOnContext(go -> started.complete(start.get()));
    return started.get(30, TimeUnit.SECONDS);
  }
}
