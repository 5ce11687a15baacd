package io.extrophi.orchestrator.status;

import io.extrophi.orchestrator.bus.BreakerTransition;
import io.extrophi.orchestrator.bus.EventBusAddresses;
import io.extrophi.orchestrator.bus.HealthTransition;
import io.extrophi.orchestrator.bus.ProbeResult;
import io.extrophi.orchestrator.bus.ReplicatedBatchCodec;
import io.extrophi.orchestrator.bus.StatusEvent;
import io.extrophi.orchestrator.bus.StatusEventBatch;
import io.extrophi.orchestrator.cluster.ClusterMembership;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster replication of the status: applies the events the other nodes replicate ({@link
 * EventBusAddresses#CLUSTER_EVENTS}), so every node holds the statistics of the whole fleet, and
 * when this node starts copies the state of a live node first ({@link
 * EventBusAddresses#nodeState}), so its counts continue the cluster's. It answers the same copy
 * request for nodes that start after it. Health changes are published by the node that probed, so
 * the events applied here change the board silently.
 *
 * <p>Runs on the {@link StatusVerticle}'s context and changes its {@link StatusBoard}; the verticle
 * hands over its own batches ({@link #recordOwn}) so the watermarks know what this node published.
 */
final class ClusterSync {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterSync.class);

  /** How long a starting node waits for a live node's state before it starts without it. */
  private static final long SYNC_TIMEOUT_MS = 30_000;

  /** The reply header of a state copy that carries the {@link ReplicationLog} watermarks. */
  private static final String APPLIED_HEADER = "applied-batches";

  /** The reply header of a chunk: the index of the service the next chunk starts at. */
  private static final String NEXT_HEADER = "next-service";

  /** The reply header of a chunk: how many services the source holds. */
  private static final String TOTAL_HEADER = "services-total";

  /** The field of a copy request: the index of the first service of the chunk asked for. */
  private static final String FROM_FIELD = "from";

  /**
   * About how many bytes a chunk of the state carries. A chunk is encoded, sent and decoded within
   * one event-loop turn each: a megabyte takes a few milliseconds, where the whole state of 10,000
   * services with every statistic full (150 MB) took seconds and stalled both event loops.
   */
  static final int CHUNK_BYTES = 1 << 20;

  /** Services in the first chunk, before the size of a service is known. */
  private static final int FIRST_CHUNK_SERVICES = 16;

  /**
   * Before asking for a copy of another node's state, the time other nodes take to learn that this
   * node listens to {@link EventBusAddresses#CLUSTER_EVENTS}: a batch published before they know is
   * not sent here, and must be in the copy.
   */
  private static final long SUBSCRIPTION_SPREAD_MS = 1_000;

  /** Which batches the statistics hold. */
  private final ReplicationLog replication;

  /**
   * The last copy, while batches that it holds for some services and not for others can still
   * arrive; {@code null} otherwise.
   */
  private CopiedState partlyHeld;

  /** Bytes per service in the last chunk this node encoded: sizes the next one. */
  private int bytesPerService;

  /** Whether a copy of another node's state is under way. */
  private boolean copying;

  /** Copies that ended with batches still missing, in a row. */
  private int copiesInARow;

  /**
   * After this many copies in a row that left batches missing, the batches still missing are given
   * up for lost and the ones after them applied: no live node has them.
   */
  private static final int MAX_COPIES_IN_A_ROW = 3;

  private final Vertx vertx;
  private final ClusterMembership cluster;
  private final StatusBoard board;
  private final int historySize;
  private final Clock clock;
  private final Runnable onChange;
  private final Runnable onReplaced;

  /**
   * @param onChange called after the board changed (the verticle drops its encoded snapshot)
   * @param onReplaced called when a copy replaced the board (the metrics read it again)
   */
  ClusterSync(
      Vertx vertx,
      ClusterMembership cluster,
      StatusBoard board,
      int historySize,
      Clock clock,
      Runnable onChange,
      Runnable onReplaced) {
    this.vertx = vertx;
    this.cluster = cluster;
    this.board = board;
    this.historySize = historySize;
    this.clock = clock;
    this.onChange = onChange;
    this.onReplaced = onReplaced;
    this.replication = new ReplicationLog(cluster.nodeId());
    // Held back until this node has copied the state of a live one.
    replication.holdBack();
    copying = true;
  }

  /** Listens to the other nodes' batches and to requests for a copy of this node's state. */
  List<MessageConsumer<?>> register(EventBus bus) {
    return List.of(
        bus.consumer(EventBusAddresses.CLUSTER_EVENTS, this::onReplicatedEvents),
        bus.consumer(EventBusAddresses.nodeState(cluster.nodeId()), this::onStateRequest));
  }

  /** One of this node's own batches, applied by the verticle: its watermark moves on. */
  void recordOwn(StatusEventBatch batch) {
    replication.recordOwn(batch);
  }

  /**
   * A node that starts in a running cluster copies the state of a live node, then applies the
   * batches replicated meanwhile that the copy does not hold. Without a live node (the first one),
   * or when none answers, it goes on with its own saved state.
   */
  Future<Void> copyState() {
    List<String> others =
        cluster.orchestratorNodes().stream()
            .filter(node -> !node.equals(cluster.nodeId()))
            .toList();
    if (others.isEmpty()) {
      finishCopy();
      return Future.succeededFuture();
    }
    Promise<Void> spread = Promise.promise();
    vertx.setTimer(SUBSCRIPTION_SPREAD_MS, timer -> spread.complete());
    return spread
        .future()
        .compose(waited -> copyStateOfOneOf(others, 0))
        .onComplete(done -> finishCopy());
  }

  /**
   * Batches of a node went missing (it published them before it knew this node listens): copies the
   * state again, from that node first, which holds all of its own.
   */
  private void recopy(String missingFrom) {
    if (copying) {
      return;
    }
    copying = true;
    LOG.warn("cluster: batches of node {} were missed; copying the state again", missingFrom);
    List<String> sources = new ArrayList<>();
    sources.add(missingFrom);
    cluster.orchestratorNodes().stream()
        .filter(node -> !node.equals(cluster.nodeId()) && !node.equals(missingFrom))
        .forEach(sources::add);
    copyStateOfOneOf(sources, 0).onComplete(done -> finishCopy());
  }

  /** Asks the nodes in turn until one hands its state over. */
  private Future<Void> copyStateOfOneOf(List<String> nodes, int next) {
    if (next >= nodes.size()) {
      if (!nodes.isEmpty()) {
        LOG.warn("cluster: no live node handed its state over; going on with this node's own");
      }
      return Future.succeededFuture();
    }
    String source = nodes.get(next);
    long started = System.nanoTime();
    LOG.info("cluster: copying the state of node {}", source);
    return copyChunks(source, 0, new CopiedState())
        .map(
            copy -> {
              board.restore(copy.services());
              List<StatusEventBatch> ownNotInCopy = replication.adopt(copy.lowestAsJson());
              partlyHeld = copy;
              ownNotInCopy.forEach(own -> applySilently(cluster.nodeId(), own));
              onChange.run();
              LOG.info(
                  "cluster: continued from the state of node {}: {} services in {} ms ({} chunks,"
                      + " {} bytes, the largest {} bytes)",
                  source,
                  copy.services().size(),
                  (System.nanoTime() - started) / 1_000_000,
                  copy.chunks(),
                  copy.bytes(),
                  copy.largestChunk());
              return (Void) null;
            })
        .recover(
            failure -> {
              LOG.warn(
                  "cluster: could not copy the state of node {}: {}", source, failure.getMessage());
              return copyStateOfOneOf(nodes, next + 1);
            });
  }

  /**
   * Copies the state of {@code source} from its service {@code from} on, a chunk at a time: the
   * next chunk is asked for before this one is decoded, so at most two are under way, and the
   * source encodes each when asked (back-pressure: a slow receiver slows the source down, nothing
   * piles up). The board is untouched until the last chunk is in.
   */
  private Future<CopiedState> copyChunks(String source, int from, CopiedState copy) {
    return vertx
        .eventBus()
        .<Buffer>request(
            EventBusAddresses.nodeState(source),
            new JsonObject().put(FROM_FIELD, from),
            new DeliveryOptions().setSendTimeout(SYNC_TIMEOUT_MS))
        .compose(
            reply -> {
              String nextHeader = reply.headers().get(NEXT_HEADER);
              String totalHeader = reply.headers().get(TOTAL_HEADER);
              // A node of an earlier version answers with its whole state at once.
              int next = nextHeader == null ? 0 : Integer.parseInt(nextHeader);
              int total = totalHeader == null ? 0 : Integer.parseInt(totalHeader);
              Future<CopiedState> rest =
                  next < total && next > from
                      ? copyChunks(source, next, copy)
                      : Future.succeededFuture(copy);
              String watermarks = reply.headers().get(APPLIED_HEADER);
              copy.add(
                  StatusStateCodec.decode(reply.body(), historySize, clock.instant()),
                  watermarks == null ? new JsonObject() : new JsonObject(watermarks),
                  reply.body().length());
              return rest;
            });
  }

  /**
   * Applies the batches held back during the copy, as if they arrived now: one that still finds
   * batches of its node missing starts another copy, up to {@link #MAX_COPIES_IN_A_ROW}.
   */
  private void finishCopy() {
    copying = false;
    copiesInARow++;
    boolean giveUpMissing = copiesInARow >= MAX_COPIES_IN_A_ROW;
    for (StatusEventBatch.Replicated replicated : replication.release()) {
      ReplicationLog.Admission admission =
          giveUpMissing ? replication.admitAfterCopy(replicated) : replication.admit(replicated);
      switch (admission) {
        case APPLY -> applySilently(replicated.node(), replicated.batch());
        case GAP -> recopy(replicated.node());
        case SKIP, HELD -> {
          // Already in the statistics, or held back for the copy just started.
        }
      }
    }
    if (!copying) {
      copiesInARow = 0;
    }
    onChange.run();
    if (!copying) {
      onReplaced.run();
    }
  }

  /**
   * A chunk of the binary state, for a node that joins the cluster: the services from the index
   * asked for on, about {@link #CHUNK_BYTES} of them, with the batches this node holds in a header
   * (at the time of this chunk: a later chunk may hold more). A request without an index, from a
   * node of an earlier version, gets the whole state in one message.
   */
  private void onStateRequest(Message<JsonObject> request) {
    if (copying) {
      // Its statistics are about to be replaced: the asking node should copy from another.
      request.fail(503, "copying the state of another node itself");
      return;
    }
    DeliveryOptions headers =
        new DeliveryOptions().addHeader(APPLIED_HEADER, replication.watermarks().encode());
    Integer from = request.body() == null ? null : request.body().getInteger(FROM_FIELD);
    if (from == null) {
      request.reply(StatusStateCodec.encode(board.services()), headers);
      return;
    }
    List<ServiceStatus> chunk = new ArrayList<>();
    int total = 0;
    int wanted =
        bytesPerService == 0 ? FIRST_CHUNK_SERVICES : Math.max(1, CHUNK_BYTES / bytesPerService);
    for (ServiceStatus status : board.services()) {
      if (total >= from && chunk.size() < wanted) {
        chunk.add(status);
      }
      total++;
    }
    Buffer encoded = StatusStateCodec.encode(chunk);
    if (!chunk.isEmpty()) {
      bytesPerService = Math.max(1, encoded.length() / chunk.size());
    }
    request.reply(
        encoded,
        headers
            .addHeader(NEXT_HEADER, Integer.toString(from + chunk.size()))
            .addHeader(TOTAL_HEADER, Integer.toString(total)));
  }

  /**
   * A batch another node published: binary ({@link ReplicatedBatchCodec}), or the JSON of {@link
   * StatusEventBatch#toReplicationJson} from a node of an earlier version.
   */
  private void onReplicatedEvents(Message<Object> message) {
    StatusEventBatch.Replicated replicated;
    try {
      replicated =
          message.body() instanceof Buffer binary
              ? ReplicatedBatchCodec.decode(binary)
              : StatusEventBatch.fromReplicationJson((JsonObject) message.body());
    } catch (RuntimeException malformed) {
      LOG.warn("ignoring a malformed replicated batch: {}", malformed.getMessage());
      return;
    }
    if (replicated.node().equals(cluster.nodeId())) {
      return; // this node's own events, already applied from the local batch
    }
    admit(replicated);
    onChange.run();
  }

  private void admit(StatusEventBatch.Replicated replicated) {
    switch (replication.admit(replicated)) {
      case APPLY -> applySilently(replicated.node(), replicated.batch());
      case GAP -> recopy(replicated.node());
      case SKIP, HELD -> {
        // Already in the statistics, or waiting for the copy under way.
      }
    }
  }

  /**
   * Applies a batch another node probed (or one of this node's own again, on top of a copy): its
   * health changes were announced by the node that probed. Right after a copy, a service whose
   * chunk already held the batch is left out.
   */
  private void applySilently(String node, StatusEventBatch batch) {
    CopiedState copy = partlyHeld;
    boolean filter = copy != null && copy.isPartlyHeld(node, batch.sequence());
    for (StatusEvent event : batch.events()) {
      if (filter && copy.holds(event.service(), node, batch.sequence())) {
        continue;
      }
      Optional<HealthTransition> change =
          event instanceof ProbeResult result
              ? board.apply(result)
              : board.apply((BreakerTransition) event);
      change.ifPresent(ClusterSync::logReplicatedChange);
    }
    if (copy != null && replication.hasPassed(copy.highestWatermarks())) {
      partlyHeld = null;
    }
  }

  private static void logReplicatedChange(HealthTransition change) {
    LOG.debug("{} (probed by another node)", change.describe());
  }
}
