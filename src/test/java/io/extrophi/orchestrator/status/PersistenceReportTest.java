package io.extrophi.orchestrator.status;

import static io.extrophi.orchestrator.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.testing.ApiClient;
import io.extrophi.orchestrator.testing.InProcessOrchestrator;
import io.extrophi.orchestrator.testing.IntegrationTest;
import io.extrophi.orchestrator.testing.MeteredVertx;
import io.extrophi.orchestrator.testing.PrometheusText;
import io.extrophi.orchestrator.testing.TargetServer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An operator sees in {@code GET /} and {@code GET /metrics} that the state is not being saved, and
 * why, and sees it again when writing recovers. The data directory is made unusable by a regular
 * file of its name (the tests run as root, for whom no permission stands in the way).
 */
@IntegrationTest
class PersistenceReportTest {

  private static final long WAIT_MS = 30_000;

  @TempDir Path dir;

  private final MeteredVertx metered = MeteredVertx.create();
  private ApiClient api;
  private Path dataDir;

  @BeforeEach
  void startOrchestrator() throws Exception {
    dataDir = dir.resolve("data");
    Files.writeString(dataDir, "a file where the data directory should be");
    TargetServer target = await(TargetServer.start(metered.vertx()));
    api =
        await(
                InProcessOrchestrator.on(metered.vertx())
                    .monitoring(target.url())
                    .set("HEALTH_CHECK_INTERVAL", "0.2")
                    .set("STATE_FLUSH_INTERVAL", "1")
                    .set("DATA_DIR", dataDir.toString())
                    .meters(metered.registry())
                    .start())
            .api();
  }

  @AfterEach
  void stop() throws Exception {
    metered.close();
  }

  @Test
  void aFailingWriteShowsWithItsReasonInGetRootAndTheMetricsUntilWritingRecovers()
      throws Exception {
    JsonObject failing =
        persistenceUntil(
            p -> "failing".equals(p.getString("state")) && p.getLong("failed_writes") >= 2);
    assertThat(failing.getString("last_error")).isEqualTo("file exists");
    assertThat(failing.getString("last_saved")).isNull();
    PrometheusText scrape = scrape();
    assertThat(scrape.type("orchestrator_state_write_failures_total")).contains("counter");
    assertThat(scrape.value("orchestrator_state_write_failures_total", Map.of()))
        .isGreaterThanOrEqualTo(2);
    assertThat(scrape.type("orchestrator_state_last_write_timestamp_seconds")).contains("gauge");
    double startedAt = scrape.value("orchestrator_state_last_write_timestamp_seconds", Map.of());

    Files.delete(dataDir);
    JsonObject recovered = persistenceUntil(p -> "ok".equals(p.getString("state")));
    assertThat(recovered.getString("last_error")).isNull();
    assertThat(recovered.getLong("failed_writes")).isGreaterThanOrEqualTo(2);
    Instant saved = Instant.parse(recovered.getString("last_saved"));
    assertThat(dataDir.resolve("state.bin")).isRegularFile();
    PrometheusText after =
        scrapeUntil(
            s -> s.value("orchestrator_state_last_write_timestamp_seconds", Map.of()) > startedAt);
    assertThat(after.value("orchestrator_state_last_write_timestamp_seconds", Map.of()))
        .isGreaterThanOrEqualTo(saved.toEpochMilli() / 1000.0);
  }

  private JsonObject persistenceUntil(Predicate<JsonObject> condition) throws Exception {
    long giveUpAt = System.currentTimeMillis() + WAIT_MS;
    JsonObject last = null;
    while (System.currentTimeMillis() < giveUpAt) {
      var response = await(api.get("/"));
      last = response.bodyAsJsonObject().getJsonObject("persistence");
      if (last != null && condition.test(last)) {
        return last;
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
    throw new AssertionError("persistence never reached the condition; last " + last);
  }

  private PrometheusText scrapeUntil(Predicate<PrometheusText> condition) throws Exception {
    long giveUpAt = System.currentTimeMillis() + WAIT_MS;
    PrometheusText last = scrape();
    while (!condition.test(last) && System.currentTimeMillis() < giveUpAt) {
      TimeUnit.MILLISECONDS.sleep(100);
      last = scrape();
    }
    return last;
  }

  private PrometheusText scrape() throws Exception {
    return PrometheusText.parse(await(api.get("/metrics")).bodyAsString());
  }
}
