package io.extrophi.orchestrator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.bus.HealthState;
import io.extrophi.orchestrator.bus.LocalOnlyCodec;
import io.extrophi.orchestrator.bus.ProbeResult;
import io.extrophi.orchestrator.config.ServiceDefinition;
import io.extrophi.orchestrator.testing.UnitTest;
import io.extrophi.orchestrator.view.EncodedSnapshot;
import io.extrophi.orchestrator.view.FleetQuery;
import io.extrophi.orchestrator.view.StatusReadModel;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /health/status} of a fleet larger than a slice is encoded over several turns of the
 * status verticle's loop (at 100,000 services one turn held it 5 s): the same bytes as at once when
 * nothing changes, other work between the slices, and a query that comes after a change is not
 * answered with an encoding begun before it.
 */
@UnitTest
class StatusEncodingInTurnsTest {

  private static final Instant NOW = Instant.parse("2026-12-07T08:00:00Z");
  private static final String ADDRESS = "test.encoded.status";

  /** Three slices and a half. */
  private static final int SERVICES = 3 * StatusQueries.SERVICES_PER_ENCODED_SLICE + 500;

  private final Vertx vertx = Vertx.vertx();
  private final Context context = vertx.getOrCreateContext();
  private final StatusBoard board = new StatusBoard(fleet(), 10);

  @AfterEach
  void close() throws Exception {
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  private static List<ServiceDefinition> fleet() {
    return IntStream.range(0, SERVICES)
        .mapToObj(
            i ->
                ServiceDefinition.builder("s" + i, "http://127.0.0.1:9/health/" + i)
                    .interval(Duration.ofSeconds(30))
                    .timeout(Duration.ofSeconds(5))
                    .build())
        .toList();
  }

  @Test
  void theSliceByTurnsEncodingIsTheOneAtOnceAndLetsOtherWorkRunBetweenSlices() throws Exception {
    board.apply(ProbeResult.success("s7", 200, 3.0, NOW));
    board.apply(ProbeResult.failure("s3400", 503, 2.0, "HTTP 503", NOW));
    long now = NOW.toEpochMilli();
    CompletableFuture<Future<EncodedSnapshot>> encoding = new CompletableFuture<>();
    CompletableFuture<Boolean> otherWorkRanBeforeTheEnd = new CompletableFuture<>();
    context.runOnContext(
        go -> {
          Future<EncodedSnapshot> inTurns =
              board.encodedSnapshotInTurns(context, now, StatusQueries.SERVICES_PER_ENCODED_SLICE);
          context.runOnContext(other -> otherWorkRanBeforeTheEnd.complete(!inTurns.isComplete()));
          encoding.complete(inTurns);
        });

    EncodedSnapshot inTurns = encoding.get(30, TimeUnit.SECONDS).await(30, TimeUnit.SECONDS);
    assertThat(otherWorkRanBeforeTheEnd.get(30, TimeUnit.SECONDS)).isTrue();
    assertThat(inTurns.render(NOW).toString())
        .isEqualTo(board.encodedSnapshot(now).render(NOW).toString());
    assertThat(inTurns.render(NOW).toJsonObject().getString("overall_health"))
        .isEqualTo(board.snapshot(NOW).getString("overall_health"));
  }

  @Test
  void aTriggersResultsAndAFilteredFleetAreEncodedInTurnsAsAtOnce() throws Exception {
    board.apply(ProbeResult.failure("s3400", 503, 2.0, "HTTP 503", NOW));
    board.apply(ProbeResult.failure("s12", 503, 2.0, "HTTP 503", NOW));
    long now = NOW.toEpochMilli();
    FleetQuery failing =
        new FleetQuery(null, Set.of(HealthState.UNHEALTHY, HealthState.CIRCUIT_OPEN), null, null);
    CompletableFuture<List<Future<EncodedSnapshot>>> encodings = new CompletableFuture<>();
    context.runOnContext(
        go ->
            encodings.complete(
                List.of(
                    board.encodedResultsInTurns(
                        context, now, StatusQueries.SERVICES_PER_ENCODED_SLICE),
                    board.encodedSelectionInTurns(
                        context, now, failing, StatusQueries.SERVICES_PER_ENCODED_SLICE))));

    List<Future<EncodedSnapshot>> inTurns = encodings.get(30, TimeUnit.SECONDS);
    assertThat(rendered(inTurns.get(0))).isEqualTo(rendered(board.encodedResults(now)));
    assertThat(rendered(inTurns.get(1)))
        .isEqualTo(rendered(board.encodedSelection(now, failing)))
        .contains("\"s12\"", "\"s3400\"")
        .doesNotContain("\"s7\"");
  }

  private static String rendered(Future<EncodedSnapshot> encoding) throws Exception {
    return rendered(encoding.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS));
  }

  private static String rendered(EncodedSnapshot snapshot) {
    return snapshot.render(NOW).toString();
  }

  @Test
  void aQueryAfterAChangeDuringAnEncodingGetsTheNextEncodingWithTheChange() throws Exception {
    LocalOnlyCodec.register(vertx.eventBus(), EncodedSnapshot.class);
    StatusReadModel readModel = StatusReadModel.of(vertx);
    StatusQueries queries =
        new StatusQueries(board, Clock.fixed(NOW, ZoneOffset.UTC), readModel, context);
    CompletableFuture<Message<EncodedSnapshot>> before = new CompletableFuture<>();
    CompletableFuture<Message<EncodedSnapshot>> after = new CompletableFuture<>();
    List<String> asked = new ArrayList<>();
    context.runOnContext(
        go ->
            vertx
                .eventBus()
                .<Object>localConsumer(
                    ADDRESS,
                    message -> {
                      queries.onEncodedStatusQuery(message);
                      if (asked.isEmpty()) {
                        asked.add("before");
                        // The first slice (s0 among it) is encoded; then s0 changes, and a second
                        // query comes while the encoding goes on.
                        board.apply(ProbeResult.success("s0", 200, 1.0, NOW));
                        queries.changed();
                        vertx
                            .eventBus()
                            .<EncodedSnapshot>request(ADDRESS, null)
                            .onComplete(
                                reply -> after.complete(reply.succeeded() ? reply.result() : null));
                      }
                    })
                .completion()
                .onSuccess(
                    registered ->
                        vertx
                            .eventBus()
                            .<EncodedSnapshot>request(ADDRESS, null)
                            .onComplete(
                                reply ->
                                    before.complete(reply.succeeded() ? reply.result() : null))));

    assertThat(checksOfS0(before.get(30, TimeUnit.SECONDS))).isZero();
    assertThat(checksOfS0(after.get(30, TimeUnit.SECONDS))).isEqualTo(1);
    // The first encoding outlived a change: it answered, but is not kept as fresh.
    assertThat(checksOfS0Fresh(readModel)).isEqualTo(1);
  }

  private static int checksOfS0(Message<EncodedSnapshot> reply) {
    assertThat(reply).as("an answer").isNotNull();
    return s0(reply.body().render(NOW).toJsonObject()).getInteger("total_checks");
  }

  private static int checksOfS0Fresh(StatusReadModel readModel) {
    EncodedSnapshot fresh = readModel.freshSnapshot(NOW.toEpochMilli());
    assertThat(fresh).as("the fresh snapshot the second encoding left").isNotNull();
    return s0(fresh.render(NOW).toJsonObject()).getInteger("total_checks");
  }

  private static JsonObject s0(JsonObject snapshot) {
    return snapshot.getJsonObject("services").getJsonObject("s0");
  }
}
