package io.extrophi.orchestrator.config;

import static io.extrophi.orchestrator.testing.Checked.thenComplete;
import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.testing.InProcessOrchestrator;
import io.extrophi.orchestrator.testing.IntegrationTest;
import io.extrophi.orchestrator.testing.TargetServer;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@IntegrationTest
class CheckLogTest {

  @Test
  void startUpListsEachServiceWithItsRedactedUrlIntervalAndTimeout() {
    List<ServiceDefinition> fleet =
        List.of(
            ServiceDefinition.of(
                "writer",
                "http://probe:pw@127.0.0.1:8000/health?token=abc",
                Duration.ofSeconds(10),
                Duration.ofMillis(2500)),
            ServiceDefinition.of(
                "backend", "https://backend:8443/", Duration.ofMillis(500), Duration.ofSeconds(1)));

    try (LogCapture log = new LogCapture()) {
      CheckLog.started(fleet);

      assertThat(log.lines())
          .containsExactly(
              "probing writer: GET http://***@127.0.0.1:8000/health?token=*** every 10 s,"
                  + " timeout 2.5 s",
              "probing backend: GET https://backend:8443/ every 0.5 s, timeout 1 s");
    }
  }

  @Test
  void aLargeFleetListsTheFirstTwentyAndCountsTheRest() {
    List<ServiceDefinition> fleet =
        IntStream.range(0, 25)
            .mapToObj(
                i ->
                    ServiceDefinition.of(
                        "s" + i,
                        "http://127.0.0.1:" + (9000 + i) + "/health",
                        Duration.ofSeconds(30),
                        Duration.ofSeconds(5)))
            .toList();

    try (LogCapture log = new LogCapture()) {
      CheckLog.started(fleet);

      List<String> lines = log.lines();
      assertThat(lines).hasSize(21);
      assertThat(lines.get(0))
          .isEqualTo("probing s0: GET http://127.0.0.1:9000/health every 30 s, timeout 5 s");
      assertThat(lines.get(19)).startsWith("probing s19: ");
      assertThat(lines.get(20))
          .isEqualTo(
              "probing 5 more services, not listed here (GET /health/services lists all 25)");
    }
  }

  @Test
  void aReloadLogsOneLinePerAddedOrChangedServiceWithTheCheckItReplaced() {
    ServiceDefinition writer =
        ServiceDefinition.of(
            "writer",
            "http://127.0.0.1:8000/health",
            Duration.ofSeconds(10),
            Duration.ofSeconds(5));
    ServiceDefinition kept =
        ServiceDefinition.of(
            "research", "http://127.0.0.1:8001/", Duration.ofSeconds(10), Duration.ofSeconds(5));
    OrchestratorConfig before =
        OrchestratorConfig.builder().services(List.of(writer, kept)).build();
    OrchestratorConfig after =
        before.toBuilder()
            .services(
                List.of(
                    writer.toBuilder().url("http://u:p@127.0.0.1:9000/health?key=k").build(),
                    kept,
                    ServiceDefinition.of(
                        "payments",
                        "https://payments.internal/healthz?secret=x",
                        Duration.ofSeconds(5),
                        Duration.ofSeconds(1))))
            .build();

    try (LogCapture log = new LogCapture()) {
      CheckLog.reloaded(ConfigDiff.between(before, after), before, after);

      assertThat(log.lines())
          .containsExactly(
              "reload added payments: GET https://payments.internal/healthz?secret=*** every 5 s,"
                  + " timeout 1 s",
              "reload changed writer: GET http://***@127.0.0.1:9000/health?key=*** every 10 s,"
                  + " timeout 5 s (was GET http://127.0.0.1:8000/health every 10 s, timeout 5 s)");
    }
  }

  /** The case: after {@code WRITER_URL=…} the start-up log confirms the override. */
  @Test
  void theStartUpLogOfTheOrchestratorConfirmsAUrlOverride(Vertx vertx, VertxTestContext test) {
    LogCapture log = new LogCapture();
    TargetServer.start(vertx)
        .compose(
            target -> {
              String overridden = "http://probe:pw@127.0.0.1:" + target.port() + "/ready?token=abc";
              return InProcessOrchestrator.on(vertx)
                  .monitoring(overridden, target.url(), target.url())
                  .start()
                  .map(target);
            })
        .onComplete(
            thenComplete(
                test,
                target -> {
                  log.close();
                  List<String> probing = new ArrayList<>(log.lines());
                  probing.removeIf(line -> !line.startsWith("probing "));
                  assertThat(probing)
                      .containsExactly(
                          "probing writer: GET http://***@127.0.0.1:"
                              + target.port()
                              + "/ready?token=*** every 600 s, timeout 2 s",
                          "probing research: GET " + target.url() + " every 600 s, timeout 2 s",
                          "probing backend: GET " + target.url() + " every 600 s, timeout 2 s");
                }));
  }
}
