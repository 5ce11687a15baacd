package io.extrophi.orchestrator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.bus.ProbeResult;
import io.extrophi.orchestrator.state.CorruptStateException;
import io.extrophi.orchestrator.testing.UnitTest;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A large state is decoded on worker threads a slice at a time: the event loop that restores it
 * runs its other work between the slices (at 100,000 full services decoding takes seconds, during
 * which a loop that decoded it itself answered nothing), and the result is what the decoding in one
 * piece gives.
 */
@UnitTest
class SlicedRestoreTest {

  private static final Instant NOW = Instant.parse("2026-12-07T01:00:00Z");
  private static final int SERVICES = 60;
  private static final int PER_SLICE = 6;

  // One event loop: whatever the restore held up, it would hold up on this thread.
  private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void theEventLoopRunsItsOtherTasksBetweenTheSlices() throws Exception {
    Buffer payload = StatusStateCodec.encode(checkedServices());
    Context context = vertx.getOrCreateContext();
    CompletableFuture<Integer> turnsDuringRestore = new CompletableFuture<>();
    CompletableFuture<StatusStateCodec.Saved> restored = new CompletableFuture<>();

    context.runOnContext(
        start -> {
          Future<StatusStateCodec.Saved> decoded =
              StatusStateCodec.decodeSavedInSlices(vertx, payload, 10, NOW, PER_SLICE);
          int[] turns = {0};
          // Another task of the same loop that keeps one turn queued until the restore is done.
          Runnable[] takeTurn = new Runnable[1];
          takeTurn[0] =
              () -> {
                if (decoded.isComplete()) {
                  turnsDuringRestore.complete(turns[0]);
                } else {
                  turns[0]++;
                  context.runOnContext(next -> takeTurn[0].run());
                }
              };
          context.runOnContext(first -> takeTurn[0].run());
          decoded.onComplete(
              done -> {
                if (done.succeeded()) {
                  restored.complete(done.result());
                } else {
                  restored.completeExceptionally(done.cause());
                }
              });
        });

    StatusStateCodec.Saved saved = restored.get(60, TimeUnit.SECONDS);
    // Each slice's hand-over is a task of its own, queued after the turn the one before it left.
    assertThat(turnsDuringRestore.get(60, TimeUnit.SECONDS))
        .isGreaterThanOrEqualTo(SERVICES / PER_SLICE);
    StatusStateCodec.Saved inOnePiece = StatusStateCodec.decodeSaved(payload, 10, NOW);
    assertThat(List.copyOf(saved.services().keySet()))
        .isEqualTo(List.copyOf(inOnePiece.services().keySet()));
    saved
        .services()
        .forEach(
            (name, status) -> {
              ServiceStatus expected = inOnePiece.services().get(name);
              assertThat(status.totalChecks()).isEqualTo(expected.totalChecks());
              assertThat(status.successfulChecks()).isEqualTo(expected.successfulChecks());
              assertThat(status.encodedJson(NOW.toEpochMilli()))
                  .isEqualTo(expected.encodedJson(NOW.toEpochMilli()));
            });
  }

  @Test
  void aPayloadCutShortInALaterSliceFailsAsCorrupt() throws Exception {
    Buffer payload = StatusStateCodec.encode(checkedServices());
    Buffer cut = payload.slice(0, payload.length() - 10).copy();
    CompletableFuture<Throwable> failure = new CompletableFuture<>();

    vertx
        .getOrCreateContext()
        .runOnContext(
            start ->
                StatusStateCodec.decodeSavedInSlices(vertx, cut, 10, NOW, PER_SLICE)
                    .onComplete(
                        done ->
                            failure.complete(
                                done.succeeded() ? new AssertionError("decoded") : done.cause())));

    assertThat(failure.get(60, TimeUnit.SECONDS)).isInstanceOf(CorruptStateException.class);
  }

  private static List<ServiceStatus> checkedServices() {
    List<ServiceStatus> services = new ArrayList<>();
    for (int i = 0; i < SERVICES; i++) {
      ServiceStatus status = new ServiceStatus("s" + i, 10);
      for (int check = 30; check > 0; check--) {
        Instant at = NOW.minusSeconds(check * 10L);
        status.apply(
            check % (i + 2) == 0
                ? ProbeResult.failure("s" + i, 503, 2.0, "HTTP 503", at)
                : ProbeResult.success("s" + i, 200, 10.0 + i, at));
      }
      services.add(status);
    }
    return services;
  }
}
