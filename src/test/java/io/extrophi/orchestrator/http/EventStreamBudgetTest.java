package io.extrophi.orchestrator.http;

import static io.extrophi.orchestrator.testing.Await.await;
import static io.extrophi.orchestrator.testing.EventStreamReadings.healthEvents;
import static io.extrophi.orchestrator.testing.EventStreamReadings.snapshotOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.config.EventStreamLimits;
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
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The memory event-stream clients can pin is bounded by {@link EventStreamLimits}, on real sockets
 * that send their request and never read: such a client holds no more than its budget while a
 * reader goes on receiving, a client is disconnected when what is due to it would not fit its
 * budget, the bytes queued for all stay within theirs, and beyond the most clients a new one gets
 * 503 with {@code Retry-After}.
 */
@ExtendWith(VertxExtension.class)
@IntegrationTest
class EventStreamBudgetTest {

  private static final long WAIT_S = 60;

  /** Far more than loopback's socket buffers swallow for a client with a 4 KB window. */
  private static final int SNAPSHOT_BYTES = 1024 * 1024;

  /**
   * One snapshot fits, two do not. What the system's socket buffers take (megabytes on loopback) is
   * not counted: it is not on the heap.
   */
  private static final int CLIENT_BUDGET = SNAPSHOT_BYTES * 3 / 2;

  private static final int TOTAL_BUDGET = 3 * SNAPSHOT_BYTES;

  private static final int MAX_CLIENTS = 6;

  private Vertx vertx;
  private MeterRegistry meters;
  private EventStreamReadings readings;
  private EventStream stream;
  private HttpServer server;
  private long publisher;
  private long sampler;
  private final AtomicLong mostQueued = new AtomicLong();
  private final List<Socket> sockets = new ArrayList<>();

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    meters = new SimpleMeterRegistry();
    readings = new EventStreamReadings(meters);
  }

  private void startStream(EventStreamLimits limits) throws Exception {
    Buffer snapshot = snapshotOf(SNAPSHOT_BYTES);
    startStream(limits, () -> snapshot);
  }

  private void startStream(EventStreamLimits limits, Supplier<Buffer> snapshots) throws Exception {
    stream =
        new EventStream(
            vertx,
            () -> Future.succeededFuture(snapshots.get()),
            meters,
            limits,
            500,
            // Far beyond the test: a client disconnected here went over a budget, not this limit.
            TimeUnit.MINUTES.toMillis(30));
    await(stream.start());
    Router router = Router.router(vertx);
    router.get(EventStream.PATH).handler(stream::handle);
    server = await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
    publisher = TransitionFeed.publishEvery(vertx, 50);
    sampler =
        vertx.setPeriodic(
            5, tick -> mostQueued.accumulateAndGet((long) readings.meter("queued"), Math::max));
  }

  @AfterEach
  void stop() throws Exception {
    for (Socket socket : sockets) {
      socket.close();
    }
    vertx.cancelTimer(publisher);
    vertx.cancelTimer(sampler);
    if (stream != null) {
      stream.stop();
      await(server.close());
    }
  }

  @Test
  void aNeverReadingClientPinsNoMoreThanItsBudgetWhileAReaderKeepsReceiving() throws Exception {
    startStream(new EventStreamLimits(MAX_CLIENTS, CLIENT_BUDGET, 64 * SNAPSHOT_BYTES));
    SseClient reader =
        await(SseClient.connectOutsideTheApi(vertx, server.actualPort(), EventStream.PATH));
    try {
      await(reader.next(event -> event.name().equals("snapshot")));
      mostQueued.set(0);
      neverReadingClient("?refresh=1");
      // Behind: the refreshes it asked for wait for it, and nothing more is queued for it.
      await(Eventually.until(vertx, () -> readings.meter("skipped.events") >= 1, WAIT_S * 1_000));
      long received = healthEvents(reader);
      // 40 events at one per 50 ms: refreshes came and went meanwhile.
      await(Eventually.until(vertx, () -> healthEvents(reader) >= received + 40, WAIT_S * 1_000));
      assertThat(reader.malformed()).isEmpty();
      assertThat(readings.meter("clients")).isEqualTo(2);
      assertThat(mostQueued.get()).isLessThanOrEqualTo(CLIENT_BUDGET);
    } finally {
      await(reader.close());
    }
    for (Socket socket : sockets) {
      socket.close();
    }
    awaitEverythingFreed();
  }

  @Test
  void aClientWhoseNextSnapshotWouldNotFitItsBudgetIsDisconnected() throws Exception {
    // The fleet grows past what the operator budgeted: the second snapshot is twice the first.
    AtomicInteger taken = new AtomicInteger();
    startStream(
        new EventStreamLimits(MAX_CLIENTS, CLIENT_BUDGET, 64 * SNAPSHOT_BYTES),
        () -> snapshotOf(taken.getAndIncrement() == 0 ? SNAPSHOT_BYTES : 2 * SNAPSHOT_BYTES));
    SseClient client =
        await(
            SseClient.connectOutsideTheApi(
                vertx, server.actualPort(), EventStream.PATH + "?refresh=1"));
    try {
      await(client.next(event -> event.name().equals("snapshot")));
      await(Eventually.until(vertx, () -> readings.meter("slow.disconnects") >= 1, WAIT_S * 1_000));
      assertThat(mostQueued.get()).isLessThanOrEqualTo(CLIENT_BUDGET);
    } finally {
      await(client.close());
    }
    awaitEverythingFreed();
  }

  @Test
  void theBytesQueuedForAllStayWithinTheirBudgetAsTheClientsFurthestBehindAreDisconnected()
      throws Exception {
    startStream(new EventStreamLimits(MAX_CLIENTS, TOTAL_BUDGET, TOTAL_BUDGET));
    // Once the socket buffers are full, each holds about a snapshot more than the system took:
    // together more than all may.
    for (int i = 0; i < 5; i++) {
      neverReadingClient("?refresh=1");
    }
    await(Eventually.until(vertx, () -> readings.meter("slow.disconnects") >= 1, WAIT_S * 1_000));
    assertThat(mostQueued.get()).isLessThanOrEqualTo(TOTAL_BUDGET);
    assertThat(readings.meter("queued")).isLessThanOrEqualTo(TOTAL_BUDGET);

    // Those that stay still get the events they can take; closing them all frees everything.
    for (Socket socket : sockets) {
      socket.close();
    }
    awaitEverythingFreed();
  }

  @Test
  void beyondTheMostClientsANewOneGets503WithRetryAfterUntilOneLeaves() throws Exception {
    // Budgets that all these clients fit in: only the cap decides.
    startStream(new EventStreamLimits(MAX_CLIENTS, CLIENT_BUDGET, 64 * SNAPSHOT_BYTES));
    for (int i = 0; i < MAX_CLIENTS; i++) {
      sockets.add(NeverReadingClient.open(server.actualPort(), EventStream.PATH));
    }
    await(Eventually.until(vertx, () -> readings.meter("clients") == MAX_CLIENTS, WAIT_S * 1_000));

    String refused = answerHead(NeverReadingClient.open(server.actualPort(), EventStream.PATH));
    assertThat(refused).startsWith("HTTP/1.1 503");
    assertThat(refused.toLowerCase(java.util.Locale.ROOT))
        .contains("retry-after: " + EventStream.RETRY_AFTER_SECONDS)
        .contains("\"status\":503");
    assertThat(readings.meter("refused")).isEqualTo(1);

    sockets.remove(0).close();
    await(
        Eventually.until(
            vertx, () -> readings.meter("clients") == MAX_CLIENTS - 1, WAIT_S * 1_000));
    SseClient admitted =
        await(SseClient.connectOutsideTheApi(vertx, server.actualPort(), EventStream.PATH));
    try {
      await(admitted.next(event -> event.name().equals("snapshot")));
    } finally {
      await(admitted.close());
    }
  }

  /** A client that sends its request and never reads, with a small receive window. */
  private void neverReadingClient(String query) throws IOException {
    sockets.add(NeverReadingClient.open(server.actualPort(), EventStream.PATH + query));
  }

  /** What a refused request gets: the status line, the headers and the start of the body. */
  private static String answerHead(Socket socket) throws IOException {
    socket.setSoTimeout((int) TimeUnit.SECONDS.toMillis(WAIT_S));
    InputStream in = socket.getInputStream();
    StringBuilder answer = new StringBuilder();
    // The connection stays open after the answer: read up to the end of its JSON body.
    for (int next = in.read(); next >= 0; next = in.read()) {
      answer.append((char) next);
      if (next == '}') {
        break;
      }
    }
    return answer.toString();
  }

  /** No client is left and no byte is queued for one. */
  private void awaitEverythingFreed() throws Exception {
    await(
        Eventually.until(
            vertx,
            () -> readings.meter("clients") == 0 && readings.meter("queued") == 0,
            WAIT_S * 1_000));
  }
}
