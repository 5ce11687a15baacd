package io.extrophi.orchestrator.metrics;

import static io.extrophi.orchestrator.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.testing.ApiClient;
import io.extrophi.orchestrator.testing.ApiContract;
import io.extrophi.orchestrator.testing.Await;
import io.extrophi.orchestrator.testing.InProcessOrchestrator;
import io.extrophi.orchestrator.testing.IntegrationTest;
import io.extrophi.orchestrator.testing.MeteredVertx;
import io.extrophi.orchestrator.testing.PrometheusText;
import io.extrophi.orchestrator.testing.PrometheusText.Sample;
import io.extrophi.orchestrator.testing.SpringActuatorDocuments;
import io.extrophi.orchestrator.testing.SpringActuatorDocuments.Document;
import io.extrophi.orchestrator.testing.TargetServer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.health.Health;

/**
 * {@code GET /metrics} of a whole orchestrator, in a Vert.x built with its metrics the way {@code
 * Main} builds it, probing real targets: scraped and read by a strict parser of the format.
 */
@IntegrationTest
class PrometheusMetricsTest {

  private static final long WAIT_S = 20;

  /** Where Debian's {@code prometheus} package puts its linter. */
  private static final Path PROMTOOL = Path.of("/usr/bin/promtool");

  @TempDir Path dir;

  private MeteredVertx metered;
  private TargetServer healthy;
  private TargetServer failing;
  private ApiClient api;
  private WebClient client;
  private int port;
  private Path configFile;
  private String unreachable;

  @BeforeEach
  void startOrchestrator() throws Exception {
    metered = MeteredVertx.create();
    Vertx vertx = metered.vertx();
    healthy = await(TargetServer.start(vertx));
    failing = await(TargetServer.start(vertx)).respondWith(503);
    unreachable = TargetServer.unreachableUrl();
    configFile = dir.resolve("config.yaml");
    writeServices(true);
    InProcessOrchestrator orchestrator =
        await(
            InProcessOrchestrator.on(vertx)
                .configFile(configFile)
                // One round at start; the tests trigger the others, so counts are exact.
                .set("CIRCUIT_BREAKER_THRESHOLD", "3")
                .set("CIRCUIT_BREAKER_RESET_TIMEOUT", "600")
                .set("TRIGGER_MIN_GAP", "0")
                .meters(metered.registry())
                .start());
    port = orchestrator.port();
    api = orchestrator.api();
    client = WebClient.create(vertx);
    // The first round has completed: a trigger from now on sends probes of its own.
    await(
        api.statusUntil(
            status ->
                Stream.of("up", "down", "gone")
                    .allMatch(name -> ApiClient.totalChecks(status, name) >= 1)));
  }

  @AfterEach
  void stop() throws Exception {
    metered.close();
  }

  @Test
  void everySeriesParsesAndTheCountsAreTheTargetsOwn() throws Exception {
    for (int round = 0; round < 4; round++) {
      await(api.send(HttpMethod.POST, "/health/trigger"));
    }
    // The meters follow the probes' results on their own event loop: a trigger's answer may
    // come a moment before its last result is counted.
    try {
      Await.until(
          () -> {
            PrometheusText now = scrapeNow();
            return checks(now, "up", "success") == healthy.requests()
                && checks(now, "gone", "failure") == 3;
          },
          10_000);
    } catch (AssertionError late) {
      // The assertions below say what differs.
    }
    HttpResponse<Buffer> response = await(api.get("/metrics"));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("content-type"))
        .isEqualTo("text/plain; version=0.0.4; charset=utf-8");
    PrometheusText scrape = PrometheusText.parse(response.bodyAsString());

    // Five rounds: every one reached the healthy target; the failing one opened its circuit
    // after three and was not probed again.
    assertThat(healthy.requests()).isEqualTo(5);
    assertThat(failing.requests()).isEqualTo(3);
    assertThat(checks(scrape, "up", "success")).isEqualTo(healthy.requests());
    assertThat(checks(scrape, "up", "failure")).isZero();
    assertThat(checks(scrape, "down", "failure")).isEqualTo(failing.requests());
    assertThat(checks(scrape, "down", "success")).isZero();
    assertThat(checks(scrape, "gone", "failure")).isEqualTo(3);
    assertThat(scrape.type("orchestrator_checks_total")).contains("counter");

    assertThat(state(scrape, "orchestrator_service_health", "up")).isEqualTo("healthy");
    assertThat(state(scrape, "orchestrator_service_health", "down")).isEqualTo("circuit_open");
    assertThat(state(scrape, "orchestrator_circuit_state", "down")).isEqualTo("open");
    assertThat(state(scrape, "orchestrator_circuit_state", "up")).isEqualTo("closed");
    assertThat(scrape.value("orchestrator_service_up", Map.of("service", "up"))).isEqualTo(1);
    assertThat(scrape.value("orchestrator_service_up", Map.of("service", "down"))).isZero();
    assertThat(
            scrape.value(
                "orchestrator_circuit_transitions_total",
                Map.of("service", "down", "from", "closed", "to", "open")))
        .isEqualTo(1);
    assertThat(scrape.labelValues("orchestrator_circuit_transitions_total", "service"))
        .containsExactlyInAnyOrder("down", "gone");

    assertThat(scrape.value("orchestrator_health", Map.of("state", "degraded"))).isEqualTo(1);
    assertThat(scrape.value("orchestrator_health", Map.of("state", "healthy"))).isZero();
    assertThat(scrape.value("orchestrator_services", Map.of("health", "healthy"))).isEqualTo(1);
    assertThat(scrape.value("orchestrator_services", Map.of("health", "circuit_open")))
        .isEqualTo(2);

    assertHistogram(scrape, "up", healthy.requests());
    assertHistogram(scrape, "down", failing.requests());

    // The JVM's and Vert.x's own, from the same registry.
    assertThat(scrape.named("jvm_memory_used_bytes")).isNotEmpty();
    // (jvm_gc_pause_seconds appears only after a first collection, which a young JVM may not
    // have had yet.)
    assertThat(scrape.named("jvm_gc_max_data_size_bytes")).isNotEmpty();
    assertThat(scrape.named("process_files_open_files")).isNotEmpty();
    assertThat(scrape.labelValues("vertx_http_server_requests_total", "route"))
        .contains("/health/trigger");
    // The probes' own series stand for Vert.x's client metrics, which are off (see
    // PrometheusMetrics#withVertxMetrics).
    assertThat(scrape.named("vertx_http_client_requests_total")).isEmpty();
  }

  @Test
  void httpServerSeriesCountTheApisOwnRequests() throws Exception {
    PrometheusText before = scrape();
    for (int i = 0; i < 3; i++) {
      await(api.get("/health/status")); // answered before the router
    }
    for (int i = 0; i < 2; i++) {
      await(api.get("/health/status/up"));
    }
    await(api.get("/no/such/path"));
    await(client.request(HttpMethod.valueOf("FROB"), port, "127.0.0.1", "/health").send());
    PrometheusText after = scrape();

    Map<String, String> status = Map.of("method", "GET", "code", "200", "route", "/health/status");
    Map<String, String> oneService =
        Map.of("method", "GET", "code", "200", "route", "/health/status/:name");
    Map<String, String> notFound = Map.of("method", "GET", "code", "404", "route", "");
    Map<String, String> invented = Map.of("method", "OTHER", "code", "405");
    assertThat(increase(before, after, "vertx_http_server_requests_total", status)).isEqualTo(3);
    assertThat(increase(before, after, "vertx_http_server_requests_total", oneService))
        .isEqualTo(2);
    assertThat(increase(before, after, "vertx_http_server_requests_total", notFound)).isEqualTo(1);
    assertThat(after.value("vertx_http_server_requests_total", invented)).isEqualTo(1);
    assertThat(after.value("vertx_http_server_response_time_seconds_count", status))
        .isEqualTo(after.value("vertx_http_server_requests_total", status));
    assertThat(after.value("vertx_http_server_response_time_seconds_sum", status)).isPositive();
    // Every status answer is a whole snapshot of the three services.
    assertThat(increase(before, after, "vertx_http_server_response_bytes_sum", status))
        .isGreaterThan(3 * 300);
    assertThat(increase(before, after, "vertx_http_server_bytes_written_total", Map.of()))
        .isGreaterThan(increase(before, after, "vertx_http_server_response_bytes_sum", status));
    // (vertx_http_server_bytes_read_total stays 0: Vert.x 5 does not report the bytes it reads on
    // HTTP/1.x connections, to its own metrics either; request bodies are in _request_bytes.)
    // Only the scrape being answered is in progress.
    assertThat(after.value("vertx_http_server_active_requests", Map.of("method", "GET")))
        .isEqualTo(1);
    assertThat(after.value("vertx_http_server_active_connections", Map.of())).isPositive();
  }

  private static double increase(
      PrometheusText before, PrometheusText after, String name, Map<String, String> labels) {
    boolean existed =
        before.named(name).stream()
            .anyMatch(sample -> sample.labels().entrySet().containsAll(labels.entrySet()));
    return after.value(name, labels) - (existed ? before.value(name, labels) : 0);
  }

  @Test
  void seriesFollowTheFleetAndStayBoundedByIt() throws Exception {
    await(api.send(HttpMethod.POST, "/health/trigger"));
    PrometheusText before = scrape();
    assertThat(before.labelValues("orchestrator_checks_total", "service"))
        .containsExactlyInAnyOrder("up", "down", "gone");
    long perService = before.countWithLabel("service", "up");

    writeServices(false);
    JsonObject reload = await(api.send(HttpMethod.POST, "/config/reload")).bodyAsJsonObject();
    assertThat(reload.getJsonArray("removed").getList()).containsExactly("gone");

    PrometheusText after = scrape();
    assertThat(after.countWithLabel("service", "gone")).isZero();
    assertThat(after.labelValues("orchestrator_service_health", "service"))
        .containsExactlyInAnyOrder("up", "down");
    // Checking again adds counts, not series.
    for (int round = 0; round < 3; round++) {
      await(api.send(HttpMethod.POST, "/health/trigger"));
    }
    assertThat(scrape().countWithLabel("service", "up")).isEqualTo(perService);
    // Circuit transitions add at most one series per pair of states: 6 per service.
    assertThat(scrape().countWithLabel("service", "down")).isLessThanOrEqualTo(perService + 6);
  }

  /**
   * A real Spring Boot Actuator document: each component gets its series and the reported status
   * its set; a component that leaves the document takes its series along, and so does a service
   * that leaves the configuration.
   */
  @Test
  void componentSeriesFollowTheHealthDocument() throws Exception {
    Document document =
        SpringActuatorDocuments.application()
            .with("db", Health.up().build())
            .with("diskSpace", Health.outOfService().build())
            .document();
    healthy.respondWith(document.statusCode(), document.body());
    await(api.send(HttpMethod.POST, "/health/trigger"));
    Await.until(
        () -> scrapeNow().labelValues("orchestrator_component_up", "component").size() == 2,
        10_000);
    PrometheusText scrape = scrape();
    assertThat(
            scrape.value("orchestrator_component_up", Map.of("service", "up", "component", "db")))
        .isEqualTo(1);
    assertThat(
            scrape.value(
                "orchestrator_component_up", Map.of("service", "up", "component", "diskSpace")))
        .isEqualTo(1);
    assertThat(
            scrape.value("orchestrator_reported_status", Map.of("service", "up", "status", "warn")))
        .isEqualTo(1);
    assertThat(
            scrape.value("orchestrator_reported_status", Map.of("service", "up", "status", "pass")))
        .isZero();
    assertThat(scrape.labelValues("orchestrator_reported_status", "service"))
        .as("no series for services without a document")
        .containsExactly("up");

    Document dbDown =
        SpringActuatorDocuments.application().with("db", Health.down().build()).document();
    healthy.respondWith(200, dbDown.body());
    await(api.send(HttpMethod.POST, "/health/trigger"));
    Await.until(
        () ->
            scrapeNow().labelValues("orchestrator_component_up", "component").equals(Set.of("db")),
        10_000);
    assertThat(
            scrape().value("orchestrator_component_up", Map.of("service", "up", "component", "db")))
        .isZero();
    assertThat(
            scrape()
                .value("orchestrator_reported_status", Map.of("service", "up", "status", "fail")))
        .isEqualTo(1);

    writeServices(false);
    Files.writeString(
        configFile, Files.readString(configFile).replace("name: up", "name: renamed"));
    await(api.send(HttpMethod.POST, "/config/reload"));
    assertThat(scrape().labelValues("orchestrator_component_up", "service"))
        .as("a removed service's components")
        .doesNotContain("up");
  }

  @Test
  void answersOpenMetricsWhenAskedAndHeadWithoutBody() throws Exception {
    HttpResponse<Buffer> open =
        ApiContract.validated(
            HttpMethod.GET,
            "/metrics",
            await(
                client
                    .get(port, "127.0.0.1", "/metrics")
                    .putHeader("Accept", "application/openmetrics-text; version=1.0.0")
                    .send()));
    assertThat(open.statusCode()).isEqualTo(200);
    assertThat(open.getHeader("content-type")).startsWith("application/openmetrics-text");
    assertThat(open.bodyAsString()).endsWith("# EOF\n").contains("orchestrator_checks_total");

    HttpResponse<Buffer> head = await(api.send(HttpMethod.HEAD, "/metrics"));
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isNull();

    HttpResponse<Buffer> post = await(api.send(HttpMethod.POST, "/metrics"));
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.getHeader("Allow")).isEqualTo("GET, HEAD");
  }

  /**
   * Prometheus's own linter accepts a live scrape of a fleet with a healthy, a failing and an
   * unreachable service, after the API has served requests and errors. The JVM's CPU time and
   * processor count keep lint-clean names (see {@link PrometheusMetrics#create()}).
   */
  @Test
  void promtoolAcceptsTheScrape() throws Exception {
    await(api.send(HttpMethod.POST, "/health/trigger"));
    await(api.get("/no/such/path"));
    await(api.send(HttpMethod.HEAD, "/health/status/up"));
    String text = await(api.get("/metrics")).bodyAsString();

    assertThat(Files.isExecutable(PROMTOOL))
        .as(PROMTOOL + " (Debian package prometheus; .ci/run installs it)")
        .isTrue();
    Process check =
        new ProcessBuilder(PROMTOOL.toString(), "check", "metrics")
            .redirectErrorStream(true)
            .start();
    try (var stdin = check.getOutputStream()) {
      stdin.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    String findings = new String(check.getInputStream().readAllBytes());
    assertThat(check.waitFor(WAIT_S, TimeUnit.SECONDS)).isTrue();
    assertThat(findings).as("promtool check metrics").isEmpty();
    assertThat(check.exitValue()).as("promtool's exit status").isZero();

    PrometheusText scrape = PrometheusText.parse(text);
    assertThat(scrape.named("process_cpu_seconds_total")).hasSize(1);
    assertThat(scrape.named("process_cpu_seconds_total").get(0).value()).isPositive();
    assertThat(scrape.named("system_cpu_available_processors").get(0).value())
        .isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(scrape.named("process_cpu_time_ns_total")).isEmpty();
    assertThat(scrape.named("system_cpu_count")).isEmpty();
  }

  private PrometheusText scrapeNow() {
    try {
      return scrape();
    } catch (Exception failed) {
      throw new AssertionError(failed);
    }
  }

  private PrometheusText scrape() throws Exception {
    return PrometheusText.parse(await(api.get("/metrics")).bodyAsString());
  }

  private static double checks(PrometheusText scrape, String service, String outcome) {
    return scrape.value(
        "orchestrator_checks_total", Map.of("service", service, "outcome", outcome));
  }

  /** The state whose series is 1; every other state of the set is 0. */
  private static String state(PrometheusText scrape, String name, String service) {
    List<Sample> set =
        scrape.named(name).stream()
            .filter(sample -> service.equals(sample.labels().get("service")))
            .toList();
    assertThat(set).hasSizeGreaterThan(2);
    List<Sample> current = set.stream().filter(sample -> sample.value() == 1).toList();
    assertThat(current).hasSize(1);
    assertThat(set.stream().filter(sample -> sample.value() == 0)).hasSize(set.size() - 1);
    return current.get(0).labels().get("state");
  }

  private static void assertHistogram(PrometheusText scrape, String service, long probes) {
    assertThat(scrape.type("orchestrator_probe_duration_seconds")).contains("histogram");
    List<Sample> buckets =
        scrape.named("orchestrator_probe_duration_seconds_bucket").stream()
            .filter(sample -> service.equals(sample.labels().get("service")))
            .toList();
    assertThat(buckets).hasSize(ServiceSeries.LATENCY_BUCKETS.length + 1);
    double previous = 0;
    for (Sample bucket : buckets) {
      assertThat(bucket.value()).isGreaterThanOrEqualTo(previous);
      previous = bucket.value();
    }
    assertThat(buckets.get(buckets.size() - 1).labels()).containsEntry("le", "+Inf");
    assertThat(previous).isEqualTo(probes);
    assertThat(
            scrape.value("orchestrator_probe_duration_seconds_count", Map.of("service", service)))
        .isEqualTo(probes);
  }

  private void writeServices(boolean withGone) throws IOException {
    String yaml =
        "services:\n"
            + "  - name: up\n    url: "
            + healthy.url()
            + "\n  - name: down\n    url: "
            + failing.url()
            + "\n";
    if (withGone) {
      yaml += "  - name: gone\n    url: " + unreachable + "\n";
    }
    Files.writeString(configFile, yaml);
  }
}
