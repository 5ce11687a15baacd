package io.extrophi.orchestrator.probe;

import static io.extrophi.orchestrator.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.extrophi.orchestrator.api.HealthChecker;
import io.extrophi.orchestrator.config.OrchestratorConfig;
import io.extrophi.orchestrator.config.ServiceDefinition;
import io.extrophi.orchestrator.testing.Await;
import io.extrophi.orchestrator.testing.FaultTarget;
import io.extrophi.orchestrator.testing.IntegrationTest;
import io.extrophi.orchestrator.testing.TestConfigs;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Every fault a target can throw, in one round of probes: each is classified with a specific
 * message, ends by the probe's timeout at the latest (a trickled or endless body included), and
 * leaves no connection or file descriptor behind; Vert.x reports no blocked thread meanwhile.
 */
@IntegrationTest
class FaultTargetsTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(1);
  private static final Duration GENEROUS_TIMEOUT = Duration.ofSeconds(30);

  private final Vertx vertx =
      Vertx.vertx(
          new VertxOptions()
              // Checked often; the limit is Vert.x's own 2 s halved (the build machine is shared,
              // so a shorter limit would report the scheduler, not the code).
              .setBlockedThreadCheckInterval(100)
              .setMaxEventLoopExecuteTime(1_000)
              .setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS));
  private FaultTarget target;

  @AfterEach
  void close() throws Exception {
    await(vertx.close());
    if (target != null) {
      target.close();
    }
  }

  @Test
  void eachFaultIsClassifiedEndsByTheTimeoutAndLeavesNothingBehind() throws Exception {
    ListAppender<ILoggingEvent> blocked = capture("io.vertx.core.impl.BlockedThreadChecker");
    target = FaultTarget.start();
    int refusedPort;
    try (java.net.ServerSocket closed =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      refusedPort = closed.getLocalPort();
    }
    Map<String, String> expected = new LinkedHashMap<>();
    Map<String, String> urls = new LinkedHashMap<>();
    add(urls, expected, "ok", target.url("/ok"), null);
    add(urls, expected, "slow", target.url("/slow"), null);
    add(urls, expected, "no-content", target.url("/status/204"), null);
    add(urls, expected, "close", target.url("/close"), null);
    add(urls, expected, "refused", "http://127.0.0.1:" + refusedPort + "/", "connection refused");
    add(urls, expected, "silent", target.url("/silent"), "timeout after 1000 ms");
    add(urls, expected, "stall", target.url("/stall"), "timeout after 1000 ms");
    add(urls, expected, "trickle", target.url("/trickle"), "timeout after 1000 ms");
    // A 200 whose body goes past MAX_BODY_BYTES: judged by its status, the rest not read.
    add(urls, expected, "endless", target.url("/endless"), null);
    add(urls, expected, "reset", target.url("/reset"), "connection reset by the service");
    add(urls, expected, "redirect", target.url("/redirect"), "HTTP 302");
    add(urls, expected, "loop", target.url("/loop"), "HTTP 302");
    // An informational status in place of a final answer is not a success either.
    add(urls, expected, "informational", target.url("/status/102"), "HTTP 102");
    add(urls, expected, "not-found", target.url("/status/404"), "HTTP 404");
    add(urls, expected, "server-error", target.url("/status/500"), "HTTP 500");
    add(urls, expected, "unavailable", target.url("/status/503"), "HTTP 503");
    add(urls, expected, "garbage", target.url("/garbage"), "not an HTTP response");

    int descriptorsBefore = openFileDescriptors();
    long heapBefore = heapAfterGc();
    List<ServiceDefinition> services = new ArrayList<>();
    // The targets that answer at once get a generous timeout: on a busy machine a cold client may
    // take longer than 1 s to get an answer, and that would be the machine, not the fault.
    urls.forEach(
        (name, url) ->
            services.add(
                ServiceDefinition.of(
                    name,
                    url,
                    Duration.ofMinutes(10),
                    expected.get(name) == null ? GENEROUS_TIMEOUT : TIMEOUT)));
    OrchestratorConfig config =
        TestConfigs.builder(services, Duration.ofMinutes(10), TIMEOUT).build();
    HealthChecker checker = new HealthChecker(vertx, config);
    await(checker.start());
    JsonObject round = await(checker.trigger()).getJsonObject("services");

    expected.forEach(
        (name, error) -> {
          JsonObject status = round.getJsonObject(name);
          if (error == null) {
            assertThat(status.getString("health")).as(name).isEqualTo("healthy");
          } else {
            assertThat(status.getString("health")).as(name).isEqualTo("unhealthy");
            assertThat(status.getString("error_message")).as(name).isEqualTo(error);
            // Every probe of it failed and counted once (the first round's and the trigger's, or
            // one when the trigger joined the first), the circuit still closed (it opens after 5).
            assertThat(status.getLong("consecutive_failures"))
                .as(name)
                .isEqualTo(status.getLong("total_checks"))
                .isBetween(1L, 2L);
            assertThat(status.getString("circuit_breaker_state")).as(name).isEqualTo("closed");
          }
        });
    // The endless body was cut off at MAX_BODY_BYTES, not drained: the target could send little
    // more than what the socket buffers hold before the reset stopped it.
    long heapAfter = heapAfterGc();
    // Fresh connections: every probe closed its own, the endless one included (which never ends by
    // itself), while the checker still runs.
    Await.until(() -> target.openConnections() == 0, "every probe's connection closed");
    assertThat(target.endlessBytes()).as("endless body bytes sent").isLessThan(32_000_000L);
    assertThat(heapAfter - heapBefore).as("heap growth after GC").isLessThan(16_000_000L);

    // The probes that timed out let go of their connections: none is left at the target but the
    // pooled keep-alive ones, and those go with the client.
    await(checker.stop());
    Await.until(() -> target.openConnections() == 0, "the target's connections closed");
    Await.until(
        () -> openFileDescriptors() <= descriptorsBefore + 2,
        "file descriptors back to their baseline of " + descriptorsBefore);
    assertThat(blocked.list).extracting(ILoggingEvent::getFormattedMessage).isEmpty();
  }

  @Test
  void aTargetThatDoesNotSpeakHttpIsOneWarningNamingNoExceptionClass() throws Exception {
    ListAppender<ILoggingEvent> connections = capture(NotHttpResponseLogFilter.CONNECTION_LOGGER);
    ListAppender<ILoggingEvent> probes = capture(ServiceMonitor.class.getName());
    target = FaultTarget.start();
    Duration interval = Duration.ofMillis(100);
    OrchestratorConfig config =
        TestConfigs.builder(
                List.of(ServiceDefinition.of("garbage", target.url("/garbage"), interval, TIMEOUT)),
                interval,
                TIMEOUT)
            .failureThreshold(1_000) // the circuit stays closed, so that every round probes
            .build();
    HealthChecker checker = new HealthChecker(vertx, config);
    await(checker.start());
    Await.until(() -> target.requests() >= 6, "six probes of the garbage target");
    // One probe at a time per service: the sixth request means five results were recorded.
    JsonObject status = await(checker.status()).getJsonObject("services").getJsonObject("garbage");
    assertThat(status.getLong("total_checks")).isPositive();

    assertThat(status.getString("error_message")).isEqualTo("not an HTTP response");
    assertThat(connections.list)
        .as("Vert.x's ERROR per probe")
        .extracting(ILoggingEvent::getFormattedMessage)
        .isEmpty();
    assertThat(probes.list)
        .filteredOn(event -> event.getLevel().isGreaterOrEqual(Level.WARN))
        .extracting(ILoggingEvent::getFormattedMessage)
        .containsExactly("probe garbage: unhealthy (not an HTTP response)");
  }

  private static void add(
      Map<String, String> urls,
      Map<String, String> expected,
      String name,
      String url,
      String error) {
    urls.put(name, url);
    expected.put(name, error);
  }

  private static long heapAfterGc() {
    System.gc();
    return java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static int openFileDescriptors() {
    String[] entries = new File("/proc/self/fd").list();
    return entries == null ? 0 : entries.length;
  }

  private static ListAppender<ILoggingEvent> capture(String loggerName) {
    Logger logger = (Logger) LoggerFactory.getLogger(loggerName);
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    return appender;
  }
}
