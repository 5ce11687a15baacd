package io.extrophi.orchestrator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.bus.ProbeResult;
import io.extrophi.orchestrator.state.StateFile;
import io.extrophi.orchestrator.testing.UnitTest;
import io.extrophi.orchestrator.view.StatusJson;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A state file written before the compact statistics (payload format 2: latency window format 2,
 * availability and history format 1) still loads, with the same answers the orchestrator that wrote
 * it gave; and what is written now restores to the same answers, in a fraction of the bytes.
 *
 * <p>{@code state/state-format2-3services.bin} was written by commit c0cee57 from {@code
 * bench.StateFiller}'s three full services at {@link #WRITTEN_AT}; {@code .json} beside it holds
 * each service's {@code GET /health/status} entry at that instant and its whole history, as that
 * commit answered them.
 */
@UnitTest
class CompactStateFormatTest {

  private static final Instant WRITTEN_AT = Instant.parse("2026-12-01T12:34:56.789Z");

  private final Vertx vertx = Vertx.vertx();

  @TempDir Path directory;

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void aStateFileOfFormatTwoLoadsWithTheAnswersItWasWrittenWith() throws Exception {
    Files.write(directory.resolve("state.bin"), resource("state-format2-3services.bin"));

    Map<String, ServiceStatus> services = read(stateFile()).services();

    assertThat(services).containsOnlyKeys("s0", "s1", "s2");
    assertSameAnswers(services, expected());
  }

  @Test
  void aRestartRestoresWhatTheCompactFormatSaved() throws Exception {
    Files.write(directory.resolve("state.bin"), resource("state-format2-3services.bin"));
    Map<String, ServiceStatus> loaded = read(stateFile()).services();

    Buffer compact = StatusStateCodec.encode(loaded.values());
    await(stateFile().write(compact));
    Map<String, ServiceStatus> restored = read(stateFile()).services();

    assertSameAnswers(restored, expected());
    assertThat(compact.getInt(0)).isEqualTo(StatusStateCodec.FORMAT_3);
    // A service full at one probe a second: about 15 KB in format 2, about 5 KB in format 3.
    assertThat(compact.length() * 2L).isLessThan(resource("state-format2-3services.bin").length);
  }

  /** The per-service fields the API gained after commit c0cee57, which wrote the old file. */
  private static final List<String> ADDED_FIELDS =
      List.of("root_cause", "reported_status", "components");

  private static void assertSameAnswers(
      Map<String, ServiceStatus> services, JsonObject expectedAnswers) {
    long now = WRITTEN_AT.toEpochMilli();
    for (String name : expectedAnswers.fieldNames()) {
      JsonObject expected = expectedAnswers.getJsonObject(name).copy();
      JsonArray expectedHistory = (JsonArray) expected.remove("history");
      ServiceStatus status = services.get(name);
      // Fields added to the API since that commit are additions; everything it had is unchanged.
      JsonObject actual = StatusJson.service(status, now);
      ADDED_FIELDS.forEach(actual::remove);
      assertThat(actual).as(name).isEqualTo(expected);
      JsonArray history = new JsonArray();
      for (ProbeResult result : status.history().latest(1_000)) {
        history.add(result.toJson());
      }
      assertThat(history).as(name + " history").isEqualTo(expectedHistory);
    }
  }

  private StatusStateCodec.Saved read(StateFile file) throws Exception {
    Optional<StatusStateCodec.Saved> saved =
        await(file.read(payload -> StatusStateCodec.decodeSaved(payload, 100, WRITTEN_AT)));
    assertThat(saved).as("state read, not moved aside").isPresent();
    return saved.get();
  }

  private StateFile stateFile() {
    return new StateFile(vertx, directory.toString(), Clock.systemUTC());
  }

  private static JsonObject expected() throws Exception {
    return new JsonObject(Buffer.buffer(resource("state-format2-3services.json")));
  }

  private static byte[] resource(String name) throws Exception {
    try (InputStream in = CompactStateFormatTest.class.getResourceAsStream("/state/" + name)) {
      assertThat(in).as(name).isNotNull();
      return in.readAllBytes();
    }
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
