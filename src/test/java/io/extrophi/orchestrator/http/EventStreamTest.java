package io.extrophi.orchestrator.http;

import static io.extrophi.orchestrator.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.bus.EventBusAddresses;
import io.extrophi.orchestrator.testing.ApiClient;
import io.extrophi.orchestrator.testing.Await;
import io.extrophi.orchestrator.testing.Eventually;
import io.extrophi.orchestrator.testing.InProcessOrchestrator;
import io.extrophi.orchestrator.testing.IntegrationTest;
import io.extrophi.orchestrator.testing.PrometheusText;
import io.extrophi.orchestrator.testing.SseClient;
import io.extrophi.orchestrator.testing.SseClient.Event;
import io.extrophi.orchestrator.testing.TargetServer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code GET /health/events} of a whole orchestrator probing real targets. */
@ExtendWith(VertxExtension.class)
@IntegrationTest
class EventStreamTest {

  private static final long WAIT_S = 20;

  private Vertx vertx;
  private TargetServer writer;
  private ApiClient api;
  private int port;
  private final List<SseClient> streams = new CopyOnWriteArrayList<>();

  @BeforeEach
  void startOrchestrator(Vertx vertx) throws Exception {
    this.vertx = vertx;
    writer = await(TargetServer.start(vertx));
    TargetServer others = await(TargetServer.start(vertx));
    InProcessOrchestrator orchestrator =
        await(
            InProcessOrchestrator.on(vertx)
                .monitoring(writer.url(), others.url(), others.url())
                .set("CIRCUIT_BREAKER_THRESHOLD", "2")
                .set("TRIGGER_MIN_GAP", "0")
                .start());
    port = orchestrator.port();
    api = orchestrator.api();
    await(api.statusUntil(status -> ApiClient.totalChecks(status, "writer") >= 1));
  }

  @AfterEach
  void closeStreams() throws Exception {
    for (SseClient stream : streams) {
      await(stream.close());
    }
    api.close();
  }

  @Test
  void aSnapshotFirstThenEveryTransitionWithTheEventBusJson() throws Exception {
    List<JsonObject> onTheBus = new CopyOnWriteArrayList<>();
    await(
        vertx
            .eventBus()
            .<JsonObject>consumer(
                EventBusAddresses.HEALTH_TRANSITIONS, message -> onTheBus.add(message.body()))
            .completion());
    SseClient stream = open("/health/events");
    assertThat(stream.response().statusCode()).isEqualTo(200);
    assertThat(stream.response().getHeader("content-type"))
        .isEqualTo("text/event-stream; charset=utf-8");
    assertThat(stream.response().getHeader("cache-control")).isEqualTo("no-cache");

    Event first = await(stream.next(event -> true));
    assertThat(first.name()).isEqualTo("snapshot");
    assertThat(first.data().getJsonObject("services").fieldNames())
        .containsExactly("writer", "research", "backend");
    assertThat(first.data().getJsonObject("services").getJsonObject("writer").getString("health"))
        .isEqualTo("healthy");
    assertThat(stream.retryMs()).isEqualTo(2_000);

    writer.respondWith(503);
    await(api.send(HttpMethod.POST, "/health/trigger/writer"));
    Event down = await(stream.next(event -> event.name().equals("health")));
    assertThat(down.data().fieldNames())
        .containsExactlyInAnyOrder(
            "schema_version", "service", "from", "to", "reason", "at", "root_cause");
    assertThat(down.data().getInteger("schema_version")).isEqualTo(1);
    assertThat(down.data().getString("service")).isEqualTo("writer");
    assertThat(down.data().getString("from")).isEqualTo("healthy");
    assertThat(down.data().getString("to")).isEqualTo("unhealthy");
    assertThat(down.data().getString("reason")).isEqualTo("HTTP 503");

    await(api.send(HttpMethod.POST, "/health/trigger/writer"));
    Event opened = await(stream.next(event -> event.name().equals("circuit")));
    assertThat(opened.data().getString("service")).isEqualTo("writer");
    assertThat(opened.data().getString("from")).isEqualTo("closed");
    assertThat(opened.data().getString("to")).isEqualTo("open");
    Event circuitOpen =
        await(
            stream.next(
                event ->
                    event.name().equals("health")
                        && event.data().getString("to").equals("circuit_open")));
    assertThat(circuitOpen.data().getString("from")).isEqualTo("unhealthy");

    // The same JSON as the event bus, each transition once.
    List<JsonObject> streamed =
        stream.events().stream()
            .filter(event -> event.name().equals("health"))
            .map(Event::data)
            .toList();
    await(Eventually.until(vertx, () -> onTheBus.size() == 2, 30_000));
    assertThat(streamed).isEqualTo(onTheBus);
    assertThat(stream.events().stream().filter(event -> event.name().equals("snapshot")))
        .hasSize(1);
    assertThat(stream.malformed()).isEmpty();
  }

  @Test
  void refreshSendsAFreshSnapshotEverySoOften() throws Exception {
    SseClient stream = open("/health/events?refresh=1");
    await(
        Eventually.until(
            vertx,
            () -> stream.events().stream().filter(e -> e.name().equals("snapshot")).count() >= 3,
            15_000));
    List<String> timestamps =
        stream.events().stream().map(event -> event.data().getString("timestamp")).toList();
    assertThat(timestamps).doesNotHaveDuplicates();
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "3601", "-1", "1.5", "soon", "99999999999"})
  void aBadRefreshIsAJsonError(String refresh) throws Exception {
    HttpResponse<Buffer> response = await(api.get("/health/events?refresh=" + refresh));
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.bodyAsJsonObject().getString("message"))
        .isEqualTo("refresh must be a whole number of seconds from 1 to 3600");
  }

  @Test
  void clientsThatGoAwayAreDropped() throws Exception {
    SseClient staying = open("/health/events");
    SseClient leaving = open("/health/events");
    SseClient alsoLeaving = open("/health/events?refresh=5");
    Await.until(() -> connectedClients() == 3, 10_000);
    await(leaving.close());
    await(alsoLeaving.close());
    streams.removeAll(List.of(leaving, alsoLeaving));
    Await.until(() -> connectedClients() == 1, 10_000);

    // The one left still gets transitions: writer leaves healthy (to unhealthy, or straight on to
    // circuit_open when a loaded machine let the schedule's own probes fail it first).
    writer.respondWith(503);
    await(api.send(HttpMethod.POST, "/health/trigger/writer"));
    assertThat(await(staying.next(event -> event.name().equals("health"))).data().getString("to"))
        .isIn("unhealthy", "circuit_open");
  }

  @Test
  void headAnswersTheStreamHeadersWithoutAStream() throws Exception {
    HttpResponse<Buffer> head = await(api.send(HttpMethod.HEAD, "/health/events"));
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.getHeader("content-type")).startsWith("text/event-stream");
    assertThat(connectedClients()).isZero();
  }

  private double connectedClients() {
    try {
      return PrometheusText.parse(await(api.get("/metrics")).bodyAsString())
          .value("orchestrator_event_stream_clients", Map.of());
    } catch (Exception failed) {
      throw new AssertionError(failed);
    }
  }

  private SseClient open(String path) throws Exception {
    SseClient stream = await(SseClient.connect(vertx, port, path));
    streams.add(stream);
    return stream;
  }
}
