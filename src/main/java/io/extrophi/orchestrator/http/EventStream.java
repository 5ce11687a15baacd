package io.extrophi.orchestrator.http;

import io.extrophi.orchestrator.bus.EventBusAddresses;
import io.extrophi.orchestrator.config.EventStreamLimits;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /health/events}: a Server-Sent Events stream of the fleet's status. A client gets
 * {@code event: snapshot} (the body of {@code GET /health/status}) when it connects, then {@code
 * event: health} and {@code event: circuit} for every health and circuit transition as it happens,
 * with the same JSON as {@link EventBusAddresses#HEALTH_TRANSITIONS} and {@link
 * EventBusAddresses#BREAKER_TRANSITIONS}. With {@code ?refresh=N} it also gets a fresh snapshot
 * every N seconds (for statistics, which change with every check and have no events of their own).
 *
 * <p>What a slow client costs is bounded: an event is written only while the connection's write
 * queue has room. A client that falls behind misses the events meanwhile and, once its queue has
 * drained, gets one fresh snapshot in their place (so it is never left with a wrong picture); one
 * that does not read at all for {@link #STUCK_LIMIT_MS} is disconnected. A client has at most one
 * snapshot on its way: one that falls due before the last is sent (a refresh, a catch-up) follows
 * it. A comment line every {@link #KEEPALIVE_MS} keeps proxies from closing an idle stream and
 * finds dead connections.
 *
 * <p>What all clients cost is bounded as well, by {@link EventStreamLimits}, because the write
 * queue's "full" is no byte budget: it is judged before a write, so one write of a 1 MB snapshot
 * passes it whole, and what a client that stopped reading could pin depended on timing rather than
 * on a number anyone chose (issue 15 saw the heap run out). So every byte written counts, for its
 * client and for all, from the write until its future says the connection has handed it to the
 * operating system. A write that would take a client beyond its budget disconnects the client
 * instead; one that would take all beyond theirs first disconnects the clients furthest behind.
 * Beyond the most clients a new one gets 503 with {@code Retry-After}.
 */
final class EventStream {

  static final String PATH = "/health/events";
  static final String MEDIA_TYPE = "text/event-stream";
  static final long KEEPALIVE_MS = 15_000;
  static final long STUCK_LIMIT_MS = 60_000;

  /** How long an EventSource waits before reconnecting; it gets a fresh snapshot when it does. */
  private static final int RETRY_MS = 2_000;

  private static final int MAX_REFRESH_SECONDS = 3_600;

  /** Events held while a client's first snapshot is on its way; more than this means a resync. */
  private static final int MAX_HELD_EVENTS = 256;

  private static final Buffer KEEPALIVE_FRAME = Buffer.buffer(": keepalive\n\n");

  /** Seconds a client refused for the cap is told to wait: about when others have come and gone. */
  static final int RETRY_AFTER_SECONDS = 5;

  private static final Logger LOG = LoggerFactory.getLogger(EventStream.class);

  private final Vertx vertx;
  private final Supplier<Future<Buffer>> snapshots;
  private final Set<Client> clients = new LinkedHashSet<>();
  private final Counter skippedEvents;
  private final Counter resyncs;
  private final Counter overBudget;
  private final Counter refused;
  private final EventStreamLimits limits;

  /** Bytes written to all clients that the connections have not yet handed to the system. */
  private long queuedBytes;

  /** The size of the latest snapshot, to judge whether the next one would fit a client's budget. */
  private int lastSnapshotBytes;

  private final List<MessageConsumer<JsonObject>> consumers = new ArrayList<>();
  private final long keepaliveMs;
  private final long stuckLimitMs;
  private long keepaliveTimer = -1;

  /**
   * @param snapshots the current body of {@code GET /health/status}
   */
  EventStream(
      Vertx vertx,
      Supplier<Future<Buffer>> snapshots,
      MeterRegistry meters,
      EventStreamLimits limits) {
    this(vertx, snapshots, meters, limits, KEEPALIVE_MS, STUCK_LIMIT_MS);
  }

  /**
   * @param keepaliveMs how often a comment line goes to every client
   * @param stuckLimitMs how long a client may stay behind before it is disconnected
   */
  EventStream(
      Vertx vertx,
      Supplier<Future<Buffer>> snapshots,
      MeterRegistry meters,
      long keepaliveMs,
      long stuckLimitMs) {
    this(vertx, snapshots, meters, EventStreamLimits.defaults(), keepaliveMs, stuckLimitMs);
  }

  EventStream(
      Vertx vertx,
      Supplier<Future<Buffer>> snapshots,
      MeterRegistry meters,
      EventStreamLimits limits,
      long keepaliveMs,
      long stuckLimitMs) {
    this.vertx = vertx;
    this.limits = limits;
    this.snapshots = snapshots;
    this.keepaliveMs = keepaliveMs;
    this.stuckLimitMs = stuckLimitMs;
    Gauge.builder("orchestrator.event.stream.clients", clients, Set::size)
        .description("Clients connected to GET /health/events")
        .register(meters);
    skippedEvents =
        Counter.builder("orchestrator.event.stream.skipped.events")
            .description("Events not written to a client that was behind (a snapshot followed)")
            .register(meters);
    resyncs =
        Counter.builder("orchestrator.event.stream.resyncs")
            .description("Snapshots sent to a client that had fallen behind, once it caught up")
            .register(meters);
    Gauge.builder("orchestrator.event.stream.queued", this, stream -> stream.queuedBytes)
        .baseUnit(BaseUnits.BYTES)
        .description("Bytes written to event-stream clients and not yet handed to the system")
        .register(meters);
    overBudget =
        Counter.builder("orchestrator.event.stream.slow.disconnects")
            .description("Event-stream clients disconnected for having too many bytes queued")
            .register(meters);
    refused =
        Counter.builder("orchestrator.event.stream.refused")
            .description("Event-stream requests refused with 503: the most clients were connected")
            .register(meters);
  }

  /**
   * Starts listening for transitions. In a cluster both addresses carry the whole fleet's
   * transitions, each once, from the node that probed.
   */
  Future<Void> start() {
    consumers.add(
        vertx
            .eventBus()
            .consumer(
                EventBusAddresses.HEALTH_TRANSITIONS,
                message -> broadcast("health", message.body())));
    consumers.add(
        vertx
            .eventBus()
            .consumer(
                EventBusAddresses.BREAKER_TRANSITIONS,
                message -> broadcast("circuit", message.body())));
    consumers.add(
        vertx
            .eventBus()
            .consumer(
                EventBusAddresses.COMPONENT_TRANSITIONS,
                message -> broadcast("component", message.body())));
    consumers.add(
        vertx
            .eventBus()
            .consumer(
                EventBusAddresses.REPORTED_STATUS_CHANGES,
                message -> broadcast("reported", message.body())));
    keepaliveTimer = vertx.setPeriodic(keepaliveMs, tick -> keepalive());
    return Future.join(consumers.stream().map(MessageConsumer::completion).toList()).mapEmpty();
  }

  void stop() {
    vertx.cancelTimer(keepaliveTimer);
    consumers.forEach(MessageConsumer::unregister);
    List.copyOf(clients).forEach(client -> client.response.reset());
    List.copyOf(clients).forEach(this::drop);
  }

  /** Opens a stream for the request, or answers 400 for a bad {@code refresh}. */
  void handle(RoutingContext ctx) {
    long refreshSeconds = 0;
    String refresh = ctx.queryParams().get("refresh");
    if (refresh != null) {
      if (!refresh.matches("[0-9]{1,4}")
          || Integer.parseInt(refresh) < 1
          || Integer.parseInt(refresh) > MAX_REFRESH_SECONDS) {
        ApiError.send(
            ctx.response(),
            400,
            "refresh must be a whole number of seconds from 1 to " + MAX_REFRESH_SECONDS);
        return;
      }
      refreshSeconds = Integer.parseInt(refresh);
    }
    // A HEAD request opens no stream, so the cap does not concern it.
    if (clients.size() >= limits.maxClients() && ctx.request().method() != HttpMethod.HEAD) {
      refused.increment();
      ctx.response().putHeader(HttpHeaders.RETRY_AFTER, String.valueOf(RETRY_AFTER_SECONDS));
      ApiError.send(
          ctx.response(),
          503,
          "too many event-stream clients (at most " + limits.maxClients() + "); try again later");
      return;
    }
    HttpServerResponse response = ctx.response();
    response
        .setChunked(true)
        .putHeader(HttpHeaders.CONTENT_TYPE, MEDIA_TYPE + "; charset=utf-8")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
        // Tells nginx-style proxies not to hold events back in a buffer.
        .putHeader("X-Accel-Buffering", "no");
    if (ctx.request().method() == HttpMethod.HEAD) {
      response.end();
      return;
    }
    // Never compressed, so that every event leaves at once: they are a few hundred bytes each,
    // too small to gain. The compressor takes this header off; on a HEAD answer nothing would.
    response.putHeader(HttpHeaders.CONTENT_ENCODING, HttpHeaders.IDENTITY);
    Client client = new Client(response);
    clients.add(client);
    response.closeHandler(closed -> drop(client));
    response.exceptionHandler(failure -> drop(client));
    if (!client.write(Buffer.buffer("retry: " + RETRY_MS + "\n\n"))) {
      return;
    }
    client.resync();
    if (refreshSeconds > 0) {
      client.refreshTimer = vertx.setPeriodic(refreshSeconds * 1_000, tick -> client.refresh());
    }
  }

  private void drop(Client client) {
    if (clients.remove(client)) {
      vertx.cancelTimer(client.refreshTimer);
      // What its connection still holds goes with the connection, reset or closed.
      queuedBytes -= client.queuedBytes;
    }
  }

  /** Disconnects a client that would hold more than its share of memory. */
  private void disconnectOverBudget(Client client, String budget) {
    LOG.info(
        "closing an event stream: {} bytes queued for a client that does not keep up ({})",
        client.queuedBytes,
        budget);
    overBudget.increment();
    drop(client);
    client.response.reset();
  }

  /** What one client may have queued, given the size of the latest snapshot. */
  private long clientBudget() {
    return limits.clientBudget(lastSnapshotBytes);
  }

  /**
   * Makes room in the budget of all clients for {@code size} bytes more by disconnecting the
   * clients furthest behind, which may include {@code writer}.
   */
  private void makeRoomFor(Client writer, int size) {
    while (clients.contains(writer) && queuedBytes + size > limits.totalBufferBytes()) {
      Client furthestBehind =
          clients.stream()
              .max(Comparator.comparingLong(client -> client.queuedBytes))
              .orElseThrow();
      if (furthestBehind != writer && furthestBehind.queuedBytes == 0) {
        // Nobody holds anything but the writer itself, whose one frame is larger than all may.
        furthestBehind = writer;
      }
      disconnectOverBudget(furthestBehind, "all clients together");
    }
  }

  private void broadcast(String event, JsonObject body) {
    if (clients.isEmpty()) {
      return;
    }
    Buffer frame = frame(event, body.toBuffer());
    // A copy: a write may disconnect clients that have fallen too far behind.
    for (Client client : List.copyOf(clients)) {
      if (clients.contains(client)) {
        client.send(frame);
      }
    }
  }

  private void keepalive() {
    long now = System.currentTimeMillis();
    for (Client client : List.copyOf(clients)) {
      if (client.lagging && now - client.laggingSince > stuckLimitMs) {
        LOG.info("closing an event stream whose client has not read for {} ms", stuckLimitMs);
        client.response.reset();
        drop(client);
      } else {
        client.keepalive();
      }
    }
  }

  /** One SSE event; the JSON is one line (encoded JSON escapes line breaks inside strings). */
  static Buffer frame(String event, Buffer json) {
    return Buffer.buffer(json.length() + event.length() + 16)
        .appendString("event: ")
        .appendString(event)
        .appendString("\ndata: ")
        .appendBuffer(json)
        .appendString("\n\n");
  }

  /** One connected client and where its stream stands. */
  private final class Client {
    final HttpServerResponse response;
    long refreshTimer = -1;

    /** Waiting for a snapshot: events are held (up to a limit) to follow it. */
    boolean awaitingSnapshot;

    List<Buffer> held = new ArrayList<>();

    /** More events came than could be held: another snapshot follows the one on its way. */
    boolean heldOverflow;

    /** Behind: events are skipped until the write queue drains, then a snapshot replaces them. */
    boolean lagging;

    long laggingSince;

    /** A snapshot written to this client is not yet sent: the next one waits for it. */
    boolean snapshotInFlight;

    /** A snapshot fell due while the last one was in flight: it goes when that one is sent. */
    boolean snapshotDue;

    /** Bytes written to this client that its connection has not yet handed to the system. */
    long queuedBytes;

    Client(HttpServerResponse response) {
      this.response = response;
    }

    void send(Buffer frame) {
      if (awaitingSnapshot) {
        if (held.size() < MAX_HELD_EVENTS) {
          held.add(frame);
        } else {
          held.clear();
          // The snapshot on its way may predate some of them: ask for another after it.
          heldOverflow = true;
        }
      } else if (hasRoom(frame.length())) {
        write(frame);
      }
    }

    /**
     * Writes a frame within the budgets, counting it until it is sent; a client it would take over
     * its own budget is disconnected instead. Returns whether the client is still connected.
     */
    boolean write(Buffer frame) {
      return write(frame, () -> {});
    }

    /** Writes a frame as {@link #write(Buffer)} does; {@code sent} runs when it has been sent. */
    boolean write(Buffer frame, Runnable sent) {
      int size = frame.length();
      if (queuedBytes + size > clientBudget()) {
        disconnectOverBudget(this, "at most " + clientBudget() + " per client");
        return false;
      }
      makeRoomFor(this, size);
      if (!clients.contains(this)) {
        return false;
      }
      queuedBytes += size;
      EventStream.this.queuedBytes += size;
      response
          .write(frame)
          .onComplete(
              written -> {
                queuedBytes -= size;
                // A dropped client's bytes left the total when it was dropped.
                if (clients.contains(this)) {
                  EventStream.this.queuedBytes -= size;
                }
                sent.run();
              });
      return true;
    }

    /** A comment line, only when there is room: a client that is behind does not need it. */
    void keepalive() {
      if (!awaitingSnapshot && !lagging && !response.writeQueueFull()) {
        write(KEEPALIVE_FRAME);
      }
    }

    /**
     * A refresh: a fresh snapshot, unless one is on its way or the client is behind. A client still
     * reading the last snapshot has fallen behind: the refresh waits until it has read it, and
     * never disconnects it (on a busy machine a page of 10,000 services may take longer to read a 4
     * MB snapshot than the refresh interval it asked for).
     */
    void refresh() {
      if (awaitingSnapshot || lagging) {
        return;
      }
      if (snapshotInFlight || response.writeQueueFull()) {
        fallBehind();
      } else {
        resync();
      }
    }

    /**
     * Whether the write queue takes another frame of that size. When it does not, the client falls
     * behind (or, with more queued than its budget leaves room for, is disconnected): what comes
     * until it has drained is skipped, and one snapshot replaces it.
     */
    private boolean hasRoom(int frameBytes) {
      // Behind with so much queued that what is due would not fit: it is not coming back soon.
      if ((lagging || response.writeQueueFull()) && queuedBytes + frameBytes > clientBudget()) {
        disconnectOverBudget(this, "at most " + clientBudget() + " per client");
        return false;
      }
      if (lagging) {
        skippedEvents.increment();
        return false;
      }
      if (!response.writeQueueFull()) {
        return true;
      }
      fallBehind();
      return false;
    }

    /**
     * Skips what is due and what follows until the write queue has drained and the last snapshot is
     * sent; then one snapshot. Behind, the client is disconnected if it stays so for the stuck
     * limit.
     */
    private void fallBehind() {
      skippedEvents.increment();
      lagging = true;
      laggingSince = System.currentTimeMillis();
      if (snapshotInFlight) {
        // Its queue may have room (the drain may never come): the fresh one follows that one.
        snapshotDue = true;
      }
      response.drainHandler(
          drained -> {
            if (!lagging) {
              // A drain after the client caught up: nothing was skipped since.
              return;
            }
            if (snapshotInFlight) {
              // Still behind until that snapshot is sent; the fresh one follows it.
              snapshotDue = true;
            } else {
              catchUp();
            }
          });
    }

    /**
     * The last snapshot has been handed to the system (or the connection is gone): one that fell
     * due meanwhile goes now.
     */
    private void snapshotSent() {
      snapshotInFlight = false;
      if (snapshotDue && clients.contains(this)) {
        snapshotDue = false;
        catchUp();
      }
    }

    /** A fresh snapshot in place of what a client that fell behind missed. */
    private void catchUp() {
      lagging = false;
      resyncs.increment();
      resync();
    }

    /** Sends a snapshot now, then whatever was held while it was being taken. */
    void resync() {
      awaitingSnapshot = true;
      snapshots
          .get()
          .onComplete(
              snapshot -> {
                if (!clients.contains(this)) {
                  return;
                }
                awaitingSnapshot = false;
                if (snapshot.failed()) {
                  // Without a snapshot the client's picture would be incomplete: end the stream,
                  // and its EventSource tries again after the retry delay.
                  LOG.warn("event stream snapshot failed: {}", snapshot.cause().getMessage());
                  response.end();
                  drop(this);
                  return;
                }
                lastSnapshotBytes = snapshot.result().length();
                // Before the write: its future may complete at once.
                snapshotInFlight = true;
                if (!write(frame("snapshot", snapshot.result()), this::snapshotSent)) {
                  return;
                }
                List<Buffer> pending = held;
                held = new ArrayList<>();
                boolean again = heldOverflow;
                heldOverflow = false;
                if (again && snapshotInFlight) {
                  snapshotDue = true;
                } else if (again) {
                  resync();
                } else {
                  pending.forEach(this::send);
                }
              });
    }
  }
}
