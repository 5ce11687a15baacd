package io.extrophi.orchestrator.http;

import static io.extrophi.orchestrator.testing.Await.await;
import static io.extrophi.orchestrator.testing.EventStreamReadings.healthEvents;
import static io.extrophi.orchestrator.testing.EventStreamReadings.snapshotOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.testing.EventStreamReadings;
import io.extrophi.orchestrator.testing.Eventually;
import io.extrophi.orchestrator.testing.IntegrationTest;
import io.extrophi.orchestrator.testing.NeverReadingClient;
import io.extrophi.orchestrator.testing.SseClient;
import io.extrophi.orchestrator.testing.TransitionFeed;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.junit5.VertxExtension;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What a slow client of the event stream costs, on real sockets: a client that stops reading falls
 * behind (nothing more is queued for it), catches up with one fresh snapshot when it reads again,
 * is disconnected when it never does, and never holds back a client that reads.
 */
@ExtendWith(VertxExtension.class)
@IntegrationTest
class EventStreamBackpressureTest {

  private static final long WAIT_S = 30;

  /** Bigger than the socket buffers of loopback can swallow in a few writes. */
  private static final int SNAPSHOT_BYTES = 2 * 1024 * 1024;

  private static final long STUCK_LIMIT_MS = 3_000;

  private Vertx vertx;
  private MeterRegistry meters;
  private EventStreamReadings readings;
  private EventStream stream;
  private HttpServer server;
  private final AtomicInteger snapshotsTaken = new AtomicInteger();
  private long publisher;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    this.vertx = vertx;
    meters = new SimpleMeterRegistry();
    readings = new EventStreamReadings(meters);
    Buffer snapshot = snapshotOf(SNAPSHOT_BYTES);
    stream =
        new EventStream(
            vertx,
            () -> {
              snapshotsTaken.incrementAndGet();
              return Future.succeededFuture(snapshot);
            },
            meters,
            500,
            STUCK_LIMIT_MS);
    await(stream.start());
    Router router = Router.router(vertx);
    router.get(EventStream.PATH).handler(stream::handle);
    server = await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
    // A transition every 20 ms, as a flapping fleet would produce.
    publisher = TransitionFeed.publishEvery(vertx, 20);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.cancelTimer(publisher);
    stream.stop();
    await(server.close());
  }

  @Test
  void aClientThatStopsReadingFallsBehindWithoutHoldingOthersBackAndIsDropped() throws Exception {
    SseClient reader =
        await(SseClient.connectOutsideTheApi(vertx, server.actualPort(), EventStream.PATH));
    try (Socket idle =
        NeverReadingClient.open(server.actualPort(), EventStream.PATH + "?refresh=1")) {
      await(Eventually.until(vertx, () -> readings.meter("skipped.events") > 0, 20_000));
      assertThat(readings.meter("clients")).isEqualTo(2);

      // Behind: nothing new is taken or queued for it while the reader goes on.
      int taken = snapshotsTaken.get();
      long received = healthEvents(reader);
      await(Eventually.until(vertx, () -> healthEvents(reader) >= received + 50, 20_000));
      assertThat(snapshotsTaken.get()).isEqualTo(taken);

      // Never reading again: disconnected after the stuck limit, the reader still served.
      await(Eventually.until(vertx, () -> readings.meter("clients") == 1, 20_000));
      long later = healthEvents(reader);
      await(Eventually.until(vertx, () -> healthEvents(reader) >= later + 10, 20_000));
      assertThat(reader.malformed()).isEmpty();
    } finally {
      await(reader.close());
    }
  }

  @Test
  void aClientThatCatchesUpGetsOneFreshSnapshotInPlaceOfWhatItMissed() throws Exception {
    try (Socket slow =
        NeverReadingClient.open(server.actualPort(), EventStream.PATH + "?refresh=1")) {
      await(Eventually.until(vertx, () -> readings.meter("skipped.events") > 0, 20_000));
      // Reads everything now: the queue drains and a snapshot follows the skipped events.
      NeverReadingClient.wakeAndReadUntil(
          slow,
          snapshots -> readings.meter("resyncs") > 0 && snapshots >= 2,
          Duration.ofSeconds(WAIT_S));
      // The first snapshot, then the one that replaced the skipped events; the stream goes on.
      assertThat(readings.meter("clients")).isEqualTo(1);
    }
  }
}
