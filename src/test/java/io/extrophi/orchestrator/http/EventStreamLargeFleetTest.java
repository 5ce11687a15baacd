package io.extrophi.orchestrator.http;

import static io.extrophi.orchestrator.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.config.EventStreamLimits;
import io.extrophi.orchestrator.testing.EventStreamReadings;
import io.extrophi.orchestrator.testing.Eventually;
import io.extrophi.orchestrator.testing.IntegrationTest;
import io.extrophi.orchestrator.testing.NeverReadingClient;
import io.extrophi.orchestrator.testing.SseClient;
import io.extrophi.orchestrator.testing.TransitionFeed;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.junit5.VertxExtension;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * With the default limits, a fleet whose snapshot is larger than one client's configured budget
 * (10,000 services make about 4 MB, the default budget is 4 MiB) is still streamed: a client that
 * reads gets the snapshot and the events after it, and is not disconnected.
 */
@ExtendWith(VertxExtension.class)
@IntegrationTest
class EventStreamLargeFleetTest {

  private static final int SNAPSHOT_BYTES = EventStreamLimits.DEFAULT_CLIENT_BUFFER_BYTES + 1024;

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final EventStreamReadings readings = new EventStreamReadings(meters);

  @Test
  void aSnapshotLargerThanTheClientBudgetReachesAReader(Vertx vertx) throws Exception {
    Buffer snapshot = new JsonObject().put("filler", "x".repeat(SNAPSHOT_BYTES)).toBuffer();
    EventStream stream =
        new EventStream(
            vertx, () -> Future.succeededFuture(snapshot), meters, EventStreamLimits.defaults());
    HttpServer server = serve(vertx, stream);
    long publisher = TransitionFeed.publishEvery(vertx, 50);
    try {
      SseClient reader =
          await(SseClient.connectOutsideTheApi(vertx, server.actualPort(), EventStream.PATH));
      // Events keep coming after the snapshot: the client was kept, not dropped at its first frame.
      await(Eventually.until(vertx, () -> healthEvents(reader) >= 3, 60_000));
      SseClient.Event first = reader.events().get(0);
      assertThat(first.name()).isEqualTo("snapshot");
      assertThat(first.data().getString("filler")).hasSize(SNAPSHOT_BYTES);
      assertThat(readings.meter("slow.disconnects")).isZero();
      await(reader.close());
    } finally {
      vertx.cancelTimer(publisher);
      stream.stop();
      await(server.close());
    }
  }

  /**
   * A page of a large fleet asks for a fresh snapshot every few seconds, and on a busy machine it
   * may not have read the last one when the next is due. That refresh waits for the client to catch
   * up (one snapshot follows when it has); it does not cost the client its connection (the status
   * page at 10,000 services was disconnected by it, and its browser logged the cut stream).
   */
  @Test
  void aRefreshDueBeforeTheLastSnapshotIsReadWaitsForTheReader(Vertx vertx) throws Exception {
    EventStream stream =
        new EventStream(vertx, this::twiceWhatTheKernelTakes, meters, 60_000, 60_000);
    HttpServer server = serve(vertx, stream);
    try (Socket slow =
        NeverReadingClient.open(server.actualPort(), EventStream.PATH + "?refresh=1")) {
      // No transitions are published: only a refresh can find the client behind.
      await(
          Eventually.until(
              vertx,
              () -> readings.meter("skipped.events") > 0 || readings.meter("slow.disconnects") > 0,
              60_000));
      assertThat(readings.meter("slow.disconnects")).isZero();
      // Reads now: the first snapshot, then the fresh one that replaced the refresh it missed.
      NeverReadingClient.wakeAndReadUntil(
          slow,
          snapshots -> readings.meter("resyncs") > 0 && snapshots >= 2,
          Duration.ofSeconds(60));
      assertThat(readings.meter("clients")).isEqualTo(1);
      assertThat(readings.meter("slow.disconnects")).isZero();
    } finally {
      stream.stop();
      await(server.close());
    }
  }

  /** Waiting for a client to read its snapshot ends at the stuck limit, events or none. */
  @Test
  void aClientThatNeverReadsItsSnapshotIsDisconnectedAtTheStuckLimit(Vertx vertx) throws Exception {
    EventStream stream = new EventStream(vertx, this::twiceWhatTheKernelTakes, meters, 500, 2_000);
    HttpServer server = serve(vertx, stream);
    try (Socket asleep =
        NeverReadingClient.open(server.actualPort(), EventStream.PATH + "?refresh=1")) {
      await(Eventually.until(vertx, () -> readings.meter("skipped.events") > 0, 60_000));
      await(Eventually.until(vertx, () -> readings.meter("clients") == 0, 60_000));
      assertThat(readings.meter("queued")).isZero();
    } finally {
      stream.stop();
      await(server.close());
    }
  }

  /** A snapshot most of which stays queued in the stream for a client that does not read. */
  private Future<Buffer> twiceWhatTheKernelTakes() {
    return Future.succeededFuture(EventStreamReadings.snapshotOf(2 * SNAPSHOT_BYTES));
  }

  private static HttpServer serve(Vertx vertx, EventStream stream) throws Exception {
    await(stream.start());
    Router router = Router.router(vertx);
    router.get(EventStream.PATH).handler(stream::handle);
    return await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
  }

  @Test
  void onlyTheDefaultBudgetFollowsTheFleet() {
    long snapshot = 10L * 1024 * 1024;
    assertThat(EventStreamLimits.defaults().clientBudget(snapshot)).isEqualTo(2 * snapshot);
    // A small fleet's snapshot leaves the default as it is.
    assertThat(EventStreamLimits.defaults().clientBudget(1024))
        .isEqualTo(EventStreamLimits.DEFAULT_CLIENT_BUFFER_BYTES);
    // A budget the operator chose is kept to the byte.
    int chosen = 2 * 1024 * 1024;
    assertThat(new EventStreamLimits(256, chosen, 64 * chosen).clientBudget(snapshot))
        .isEqualTo(chosen);
  }

  private static long healthEvents(SseClient client) {
    return client.events().stream().filter(event -> event.name().equals("health")).count();
  }
}
