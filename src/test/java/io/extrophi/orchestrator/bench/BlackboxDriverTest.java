package io.extrophi.orchestrator.bench;

import static io.extrophi.orchestrator.testing.Checked.thenComplete;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.extrophi.orchestrator.testing.IntegrationTest;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@IntegrationTest
class BlackboxDriverTest {

  /**
   * Stands in for the exporter's HTTP side: answers {@code /probe} like blackbox_exporter does,
   * with {@code probe_success 0} for the target path {@code /s/1}, and records the targets asked.
   */
  private static io.vertx.core.Future<io.vertx.core.http.HttpServer> exporter(
      Vertx vertx, List<String> targets) {
    return vertx
        .createHttpServer()
        .requestHandler(
            request -> {
              String target = request.getParam("target");
              targets.add(request.getParam("module") + " " + target);
              String success = target.endsWith("/s/1") ? "0" : "1";
              request
                  .response()
                  .end(
                      "# HELP probe_success Displays whether or not the probe was a success\n"
                          + "probe_success "
                          + success
                          + "\n");
            })
        .listen(0, BenchArgs.HOST);
  }

  @Test
  void sendsTheRateOverThePathsAndCountsWhatTheExporterReports(Vertx vertx, VertxTestContext test) {
    List<String> targets = new CopyOnWriteArrayList<>();
    exporter(vertx, targets)
        .compose(
            server ->
                BlackboxDriver.drive(
                    vertx,
                    BlackboxDriver.Options.parse(
                        new String[] {
                          "--exporter-port", String.valueOf(server.actualPort()),
                          "--target-port", "9",
                          "--paths", "3",
                          "--rate", "300",
                          "--seconds", "1"
                        })))
        .onComplete(
            thenComplete(
                test,
                tally -> {
                  // 300 probes, one in three on the path the exporter reports failing.
                  assertThat(tally.getLong("sent")).isEqualTo(300);
                  assertThat(tally.getLong("succeeded")).isEqualTo(200);
                  assertThat(tally.getLong("failed")).isEqualTo(100);
                  assertThat(tally.getString("first_failure"))
                      .isEqualTo("HTTP 200 without probe_success 1");
                  // Spread evenly over the paths (they arrive over several
                  // connections, so not in the order sent).
                  assertThat(targets)
                      .hasSize(300)
                      .containsOnly(
                          "http_2xx http://127.0.0.1:9/s/0",
                          "http_2xx http://127.0.0.1:9/s/1",
                          "http_2xx http://127.0.0.1:9/s/2")
                      .filteredOn(target -> target.endsWith("/s/2"))
                      .hasSize(100);
                }));
  }

  @Test
  void anExporterThatIsNotThereIsCountedAsFailures(Vertx vertx, VertxTestContext test) {
    BlackboxDriver.drive(vertx, new BlackboxDriver.Options(1, 9, 1, 50, 1, "http_2xx", "http"))
        .onComplete(
            thenComplete(
                test,
                tally -> {
                  assertThat(tally.getLong("sent")).isEqualTo(50);
                  assertThat(tally.getLong("succeeded")).isZero();
                  assertThat(tally.getLong("failed")).isEqualTo(50);
                  assertThat(tally.getString("first_failure")).isNotBlank();
                }));
  }

  @Test
  void optionsNameWhatIsWrong() {
    assertThatThrownBy(() -> BlackboxDriver.Options.parse(new String[] {"--rate", "0"}))
        .hasMessageContaining("--rate=\"0\"");
    assertThatThrownBy(() -> BlackboxDriver.Options.parse(new String[] {"--paths", "5"}))
        .hasMessageContaining("--exporter-port P and --target-port T are required");
    assertThatThrownBy(() -> BlackboxDriver.Options.parse(new String[] {"--bogus", "1"}))
        .hasMessageContaining("unknown option --bogus");
  }
}
