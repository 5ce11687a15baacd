package io.extrophi.orchestrator.status;

import static io.extrophi.orchestrator.testing.Checked.thenComplete;
import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.bus.BreakerTransition;
import io.extrophi.orchestrator.bus.CircuitState;
import io.extrophi.orchestrator.bus.EventBusAddresses;
import io.extrophi.orchestrator.bus.ProbeResult;
import io.extrophi.orchestrator.bus.StatusEventBatch;
import io.extrophi.orchestrator.cluster.ClusterMembership;
import io.extrophi.orchestrator.config.OrchestratorConfig;
import io.extrophi.orchestrator.testing.IntegrationTest;
import io.extrophi.orchestrator.testing.TestConfigs;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The status side of a cluster node, in one process: it applies what other nodes replicate, skips
 * its own batches and results it already has, and hands its state to a node that joins.
 */
@ExtendWith(VertxExtension.class)
@IntegrationTest
class ReplicationTest {

  private static final Instant T0 = Instant.parse("2026-11-30T12:00:00Z");
  private static final OrchestratorConfig CONFIG =
      TestConfigs.firstRoundOnly(
          List.of("http://127.0.0.1:1/a", "http://127.0.0.1:1/b"), Duration.ofSeconds(1));

  /** A node alone in its cluster: nobody to copy a state from. */
  private static final ClusterMembership ALONE =
      new ClusterMembership() {
        @Override
        public String nodeId() {
          return "me";
        }

        @Override
        public List<String> orchestratorNodes() {
          return List.of("me");
        }

        @Override
        public boolean isConnected() {
          return true;
        }

        @Override
        public void announceProbing() {}

        @Override
        public void onChange(Runnable listener) {}
      };

  @Test
  void appliesOtherNodesEventsOnceAndIgnoresItsOwn(Vertx vertx, VertxTestContext test) {
    StatusEventBatch batch =
        new StatusEventBatch(
            List.of(
                ProbeResult.failure("s0", 503, 2.0, "HTTP 503", T0),
                new BreakerTransition(
                    "s0", CircuitState.CLOSED, CircuitState.OPEN, "after 1 failure", T0),
                ProbeResult.success("s1", 200, 1.0, T0)),
            1);
    vertx
        .deployVerticle(new StatusVerticle(CONFIG, Clock.systemUTC(), ALONE))
        .compose(deployed -> replicate(vertx, batch.toReplicationJson("other")))
        // The same batch again (a copied state held it), and one from this node itself.
        .compose(applied -> replicate(vertx, batch.toReplicationJson("other")))
        .compose(
            again ->
                replicate(
                    vertx,
                    new StatusEventBatch(
                            List.of(ProbeResult.success("s1", 200, 1.0, T0.plusSeconds(1))), 1)
                        .toReplicationJson("me")))
        .compose(own -> status(vertx))
        .onComplete(
            thenComplete(
                test,
                status -> {
                  JsonObject s0 = status.getJsonObject("services").getJsonObject("s0");
                  JsonObject s1 = status.getJsonObject("services").getJsonObject("s1");
                  assertThat(s0.getLong("total_checks")).isEqualTo(1);
                  assertThat(s0.getString("health")).isEqualTo("circuit_open");
                  assertThat(s0.getString("circuit_breaker_state")).isEqualTo("open");
                  assertThat(s1.getLong("total_checks")).isEqualTo(1);
                  assertThat(s1.getString("last_check")).isEqualTo("2026-11-30T12:00:00.000000Z");
                }));
  }

  @Test
  void handsItsStateToANodeThatJoins(Vertx vertx, VertxTestContext test) {
    StatusEventBatch batch =
        new StatusEventBatch(List.of(ProbeResult.success("s1", 200, 1.0, T0)), 7);
    vertx
        .deployVerticle(new StatusVerticle(CONFIG, Clock.systemUTC(), ALONE))
        .compose(deployed -> replicate(vertx, batch.toReplicationJson("other")))
        .compose(
            applied ->
                vertx
                    .eventBus()
                    .<Buffer>request(EventBusAddresses.nodeState("me"), new JsonObject()))
        .onComplete(
            thenComplete(
                test,
                reply -> {
                  var services = StatusStateCodec.decode(reply.body(), 10, Instant.now());
                  assertThat(services.keySet()).containsExactly("s0", "s1");
                  assertThat(services.get("s1").totalChecks()).isEqualTo(1);
                  assertThat(new JsonObject(reply.headers().get("applied-batches")))
                      .isEqualTo(new JsonObject().put("other", 7));
                }));
  }

  /** Publishes a replicated batch and waits until the status verticle has handled it. */
  private static Future<Void> replicate(Vertx vertx, JsonObject batch) {
    vertx.eventBus().publish(EventBusAddresses.CLUSTER_EVENTS, batch);
    // A query sent after the publish is answered after it: one sender's messages stay in order.
    return status(vertx).mapEmpty();
  }

  private static Future<JsonObject> status(Vertx vertx) {
    return vertx
        .eventBus()
        .<JsonObject>request(EventBusAddresses.STATUS_QUERY, new JsonObject())
        .map(Message::body);
  }
}
