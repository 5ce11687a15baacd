package io.extrophi.orchestrator.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.testing.IntegrationTest;
import io.extrophi.orchestrator.testing.NodeProcess;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two clustered Vert.x instances in this JVM, each with the cluster manager of {@link
 * HazelcastSetup}: messages to an address nobody listens to cost no read of Hazelcast's
 * registrations, and a listener that registers later is reached all the same.
 */
@IntegrationTest
class QuietAddressClusterManagerTest {

  private static final String ADDRESS = "test.nobody.listens";

  private final List<Vertx> members = new ArrayList<>();
  private final List<HazelcastClusterManager> managers = new ArrayList<>();

  @BeforeEach
  void startTwoMembers() throws Exception {
    int first = NodeProcess.freePort();
    int second = NodeProcess.freePort();
    String name = "quiet-addresses-" + first;
    for (int port : List.of(first, second)) {
      ClusterSettings settings =
          ClusterSettings.from(
              Map.of(
                  "CLUSTER_NAME",
                  name,
                  "CLUSTER_HOST",
                  "127.0.0.1",
                  "CLUSTER_PORT",
                  Integer.toString(port),
                  "CLUSTER_MEMBERS",
                  "127.0.0.1:" + first + ",127.0.0.1:" + second),
              Map.of());
      HazelcastClusterManager manager =
          HazelcastSetup.clusterManager(settings, HazelcastSetup.ORCHESTRATOR_ROLE);
      VertxOptions options = new VertxOptions();
      options.getEventBusOptions().setHost("127.0.0.1").setPort(0);
      members.add(
          await(Vertx.builder().with(options).withClusterManager(manager).buildClustered()));
      managers.add(manager);
    }
  }

  @AfterEach
  void stopMembers() throws Exception {
    for (Vertx member : members) {
      await(member.close());
    }
  }

  @Test
  void messagesToAnAddressNobodyListensToReadTheRegistrationsOnce() throws Exception {
    long readsBefore = registrationReads();
    // One at a time, as probe results are published: messages sent while a read is under way wait
    // for that read.
    for (int i = 0; i < 50; i++) {
      members.get(0).eventBus().publish(ADDRESS, "result " + i);
      Thread.sleep(10);
    }
    // The publishing is asynchronous: a message after the others, to an address that has a
    // listener, is delivered once they have all been routed.
    List<Object> delivered = new CopyOnWriteArrayList<>();
    MessageConsumer<Object> marker =
        members.get(1).eventBus().consumer("test.marker", message -> delivered.add(message.body()));
    await(marker.completion());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (delivered.isEmpty() && System.nanoTime() < deadline) {
      members.get(0).eventBus().publish("test.marker", "after");
      Thread.sleep(100);
    }
    assertThat(delivered).isNotEmpty();
    assertThat(registrationReads() - readsBefore)
        .as("reads of the registrations of %s for 50 messages", ADDRESS)
        .isLessThan(10);
  }

  @Test
  void aListenerThatRegistersAfterMessagesWentUnheardReceivesTheNextOnes() throws Exception {
    for (int i = 0; i < 20; i++) {
      members.get(0).eventBus().publish(ADDRESS, "unheard " + i);
    }
    List<Object> received = new CopyOnWriteArrayList<>();
    MessageConsumer<Object> late =
        members.get(1).eventBus().consumer(ADDRESS, message -> received.add(message.body()));
    await(late.completion());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    int sent = 0;
    while (received.isEmpty() && System.nanoTime() < deadline) {
      members.get(0).eventBus().publish(ADDRESS, "heard " + sent++);
      Thread.sleep(50);
    }
    assertThat(received).isNotEmpty().allMatch(body -> body.toString().startsWith("heard "));
  }

  /** Get operations on the registrations map, on all members. */
  private long registrationReads() {
    long reads = 0;
    for (HazelcastClusterManager manager : managers) {
      reads +=
          manager
              .getHazelcastInstance()
              .getMultiMap("__vertx.subs")
              .getLocalMultiMapStats()
              .getGetOperationCount();
    }
    return reads;
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
  }
}
