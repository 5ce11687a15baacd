package io.extrophi.orchestrator.cluster;

import io.extrophi.orchestrator.bus.EventBusAddresses;
import io.extrophi.orchestrator.bus.MessageSchema;
import io.extrophi.orchestrator.config.OrchestratorConfig;
import io.extrophi.orchestrator.config.ServiceDefinition;
import io.extrophi.orchestrator.time.Timestamps;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's part in the cluster: follows the orchestrator members, tells the probe side which
 * services are its own ({@link EventBusAddresses#CLUSTER_ASSIGNMENT}), and answers {@link
 * EventBusAddresses#TRIGGER_CHECKS} for the whole fleet by asking each service's owner to check it.
 *
 * <p>The verticle is deployed once the node holds the state of the cluster (the status side copied
 * it) and its probes are ready: only then does it {@link ClusterMembership#announceProbing
 * announce} the node, so the nodes already there go on probing its share until it takes it over.
 *
 * <p>A node probes while it is in the cluster and sees at least {@code quorum} orchestrator nodes
 * (itself included). Otherwise it is <em>degraded</em>: it stops probing, keeps serving its last
 * snapshot, and says so in {@code GET /}. With a quorum of a majority, the minority side of a
 * network split stops instead of probing everything twice.
 */
public final class ClusterVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterVerticle.class);

  /**
   * How often the member list is read, besides Hazelcast's notifications: a missed notification
   * delays a change by at most this much.
   */
  static final long POLL_MS = 500;

  /** Extra time a forwarded trigger may take beyond the slowest probe's timeout. */
  private static final long TRIGGER_MARGIN_MS = 10_000;

  private final ClusterMembership membership;
  private final int quorum;
  private final Clock clock;
  private OrchestratorConfig config;
  private Assignment current;

  /** Completes when the probe side may begin: the moment to announce this node. */
  private final Future<Void> probesReady;

  /** Whether this node has announced that it probes: until then it follows no member list. */
  private boolean announced;

  private boolean announcing;

  private long pollTimer = -1;
  private List<MessageConsumer<JsonObject>> consumers = List.of();

  /**
   * @param config the configuration to start with
   * @param membership this node's view of the cluster
   * @param quorum the fewest live orchestrator nodes with which this node probes
   * @param probesReady completes when the probe side may begin (warmed, the process started): the
   *     node is announced to the others then
   */
  public ClusterVerticle(
      OrchestratorConfig config,
      ClusterMembership membership,
      int quorum,
      Future<Void> probesReady) {
    this(config, membership, quorum, probesReady, Clock.systemUTC());
  }

  ClusterVerticle(
      OrchestratorConfig config,
      ClusterMembership membership,
      int quorum,
      Future<Void> probesReady,
      Clock clock) {
    this.config = config;
    this.membership = membership;
    this.quorum = quorum;
    this.probesReady = probesReady;
    this.clock = clock;
    this.current = Assignment.waiting(membership.nodeId());
  }

  @Override
  public Future<?> start() {
    consumers =
        List.of(
            vertx
                .eventBus()
                .localConsumer(
                    EventBusAddresses.CONFIG_CHANGED,
                    message -> config = OrchestratorConfig.fromJson(message.body())),
            vertx.eventBus().localConsumer(EventBusAddresses.CLUSTER_INFO, this::answerInfo),
            vertx.eventBus().consumer(EventBusAddresses.TRIGGER_CHECKS, this::answerTrigger));
    Context context = vertx.getOrCreateContext();
    membership.onChange(() -> context.runOnContext(ignored -> refresh()));
    pollTimer = vertx.setPeriodic(POLL_MS, tick -> refresh());
    probesReady.onSuccess(ready -> context.runOnContext(ignored -> refresh()));
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList());
  }

  /** Tells the others that this node probes (off the event loop: it is a call to the cluster). */
  private void announce() {
    announcing = true;
    vertx
        .executeBlocking(
            () -> {
              membership.announceProbing();
              return null;
            })
        .onComplete(
            done -> {
              announcing = false;
              if (done.succeeded()) {
                announced = true;
                refresh();
              } else {
                LOG.warn(
                    "cluster: could not announce this node to the others ({}); trying again",
                    done.cause().getMessage());
              }
            });
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(pollTimer);
    return Future.join(consumers.stream().map(MessageConsumer::unregister).toList());
  }

  /** Reads the members and, when the assignment changed, tells the probe side. */
  private void refresh() {
    if (!announced) {
      if (probesReady.succeeded() && !announcing) {
        announce();
      }
      return;
    }
    List<String> nodes = membership.orchestratorNodes();
    boolean connected = membership.isConnected();
    boolean active = connected && nodes.contains(membership.nodeId()) && nodes.size() >= quorum;
    Assignment next = new Assignment(nodes, membership.nodeId(), active);
    if (next.equals(current)) {
      return;
    }
    current = next;
    long owned = config.services().stream().map(ServiceDefinition::name).filter(next::owns).count();
    if (active) {
      LOG.info(
          "cluster: {} orchestrator nodes, this node ({}) probes {} of {} services",
          nodes.size(),
          membership.nodeId(),
          owned,
          config.services().size());
    } else {
      LOG.warn(
          "cluster degraded: {}; this node does not probe and serves its last snapshot",
          connected
              ? nodes.size() + " orchestrator nodes seen, " + quorum + " needed"
              : "this node has lost the cluster");
    }
    vertx
        .eventBus()
        .publish(
            EventBusAddresses.CLUSTER_ASSIGNMENT, next.toJson(), MessageSchema.localDelivery());
  }

  private void answerInfo(Message<JsonObject> request) {
    long owned =
        config.services().stream().map(ServiceDefinition::name).filter(current::owns).count();
    request.reply(
        new JsonObject()
            .put("cluster", current.active() ? "ok" : "degraded")
            .put("cluster_node", membership.nodeId())
            .put("cluster_members", current.nodes().size())
            .put("owned_services", owned));
  }

  /**
   * Checks every service (or the one named) through the nodes that own them and replies with the
   * results of the whole fleet, the same JSON as in a single process.
   */
  private void answerTrigger(Message<JsonObject> request) {
    if (!current.active()) {
      request.fail(503, "cluster degraded: this node does not probe (see GET /)");
      return;
    }
    JsonObject body = request.body() == null ? new JsonObject() : request.body();
    String only = body.getString("service");
    if (only != null) {
      triggerOne(request, only);
      return;
    }
    Map<String, JsonArray> byOwner = new LinkedHashMap<>();
    for (ServiceDefinition service : config.services()) {
      byOwner
          .computeIfAbsent(current.ownerOf(service.name()), owner -> new JsonArray())
          .add(service.name());
    }
    List<Future<JsonObject>> parts = new ArrayList<>();
    byOwner.forEach(
        (owner, names) ->
            parts.add(
                ask(owner, new JsonObject().put("services", names))
                    // An owner that fails to answer (it may just have died) leaves its services
                    // as this node last saw them.
                    .recover(failure -> lastKnown(names))));
    Future.all(parts)
        .map(all -> merged(parts))
        .onSuccess(request::reply)
        .onFailure(failure -> request.fail(503, "status unavailable: " + failure.getMessage()));
  }

  private void triggerOne(Message<JsonObject> request, String name) {
    if (config.service(name).isEmpty()) {
      request.fail(404, "no service named " + name);
      return;
    }
    ask(current.ownerOf(name), new JsonObject().put("service", name))
        .onSuccess(request::reply)
        .onFailure(
            failure ->
                request.fail(
                    MessageSchema.failureCodeOf(failure),
                    "check of " + name + " failed: " + failure.getMessage()));
  }

  private Future<JsonObject> ask(String owner, JsonObject body) {
    return vertx
        .eventBus()
        .<JsonObject>request(
            EventBusAddresses.nodeTrigger(owner),
            body,
            new DeliveryOptions().setSendTimeout(longestTimeoutMs() + TRIGGER_MARGIN_MS))
        .map(Message::body);
  }

  /** The statuses of {@code names} as this node's status verticle has them. */
  private Future<JsonObject> lastKnown(JsonArray names) {
    return vertx
        .eventBus()
        .<JsonObject>request(
            EventBusAddresses.STATUS_QUERY, new JsonObject(), MessageSchema.localDelivery())
        .map(
            reply -> {
              JsonObject all = reply.body().getJsonObject("services", new JsonObject());
              JsonObject picked = new JsonObject();
              names.forEach(name -> picked.put((String) name, all.getValue((String) name)));
              return new JsonObject().put("services", picked);
            });
  }

  /** The parts' services in configured order, under one timestamp. */
  private JsonObject merged(List<Future<JsonObject>> parts) {
    Map<String, Object> found = new LinkedHashMap<>();
    for (Future<JsonObject> part : parts) {
      part.result()
          .getJsonObject("services", new JsonObject())
          .forEach(e -> found.put(e.getKey(), e.getValue()));
    }
    JsonObject services = new JsonObject();
    for (ServiceDefinition service : config.services()) {
      Object status = found.get(service.name());
      if (status != null) {
        services.put(service.name(), status);
      }
    }
    return new JsonObject()
        .put(MessageSchema.FIELD, MessageSchema.VERSION)
        .put("timestamp", Timestamps.format(clock.instant()))
        .put("services", services);
  }

  private long longestTimeoutMs() {
    return config.services().stream()
        .mapToLong(service -> service.timeout().toMillis())
        .max()
        .orElse(0);
  }
}
