package io.extrophi.orchestrator.alert;

import static io.extrophi.orchestrator.testing.AlertReceiverFixture.waiting;
import static io.extrophi.orchestrator.testing.AlertingConfigs.fastRetries;
import static io.extrophi.orchestrator.testing.AlertingConfigs.withServiceAlerts;
import static io.extrophi.orchestrator.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.extrophi.orchestrator.api.HealthChecker;
import io.extrophi.orchestrator.bus.EventBusAddresses;
import io.extrophi.orchestrator.bus.HealthState;
import io.extrophi.orchestrator.bus.HealthTransition;
import io.extrophi.orchestrator.config.AlertFormat;
import io.extrophi.orchestrator.config.AlertSettings;
import io.extrophi.orchestrator.config.OrchestratorConfig;
import io.extrophi.orchestrator.config.ServiceAlert;
import io.extrophi.orchestrator.http.HttpApiVerticle;
import io.extrophi.orchestrator.metrics.AlertMeters;
import io.extrophi.orchestrator.testing.ApiClient;
import io.extrophi.orchestrator.testing.Await;
import io.extrophi.orchestrator.testing.BusMessages;
import io.extrophi.orchestrator.testing.IntegrationTest;
import io.extrophi.orchestrator.testing.LaterRounds;
import io.extrophi.orchestrator.testing.PrometheusText;
import io.extrophi.orchestrator.testing.TargetServer;
import io.extrophi.orchestrator.testing.TestConfigs;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Alerts from a running orchestrator ({@link HealthChecker}) to real webhook receivers on
 * 127.0.0.1: which transitions alert, the payloads, retries, a receiver that hangs, routing. Each
 * test drives it from its own thread and waits for what it expects to happen.
 */
@ExtendWith(VertxExtension.class)
@IntegrationTest
class AlertWebhookTest {

  private static final Pattern TIMESTAMP =
      Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z");

  /** Only the first round of checks runs: one transition per service. */
  private static OrchestratorConfig firstRoundOnly(List<String> urls, AlertSettings alerts) {
    return TestConfigs.firstRoundOnly(urls, Duration.ofSeconds(2)).toBuilder()
        .alerts(alerts)
        .build();
  }

  private static HealthChecker start(Vertx vertx, OrchestratorConfig config) throws Exception {
    HealthChecker checker = new HealthChecker(vertx, config);
    await(checker.start());
    return checker;
  }

  private static TargetServer target(Vertx vertx, int status) throws Exception {
    return await(TargetServer.start(vertx)).respondWith(status);
  }

  private static WebhookReceiver receiver(Vertx vertx) throws Exception {
    return await(WebhookReceiver.start(vertx));
  }

  /** The target recovers and a round sees it: a later alert to every receiver. */
  private static void recover(TargetServer target, HealthChecker checker) throws Exception {
    target.respondWith(200);
    await(checker.trigger());
  }

  private static long count(List<HealthTransition> published, HealthState from, HealthState to) {
    return published.stream().filter(t -> t.from() == from && t.to() == to).count();
  }

  /** How many alerts of a recovery ({@code new_state} healthy) {@code receiver} accepted. */
  private static long recovered(WebhookReceiver receiver) {
    return receiver.accepted().stream()
        .filter(
            r ->
                "healthy".equals(r.newState())
                    || r.body().getString("text", "").contains(" is healthy"))
        .count();
  }

  @Test
  void aTargetGoingDownAndUpAlertsEachTransitionOnceInOrder(Vertx vertx) throws Exception {
    List<HealthTransition> published =
        BusMessages.recorded(
            vertx, EventBusAddresses.HEALTH_TRANSITIONS, HealthTransition::fromJson);
    TargetServer target = target(vertx, 200);
    WebhookReceiver receiver = receiver(vertx);
    HealthChecker checker =
        start(
            vertx,
            TestConfigs.config(
                    List.of(target.url()),
                    Duration.ofMillis(50),
                    // Generous: a first probe timing out on a busy machine would alert.
                    Duration.ofSeconds(5),
                    2,
                    1,
                    Duration.ofMillis(300))
                .toBuilder()
                .alerts(fastRetries(receiver.url("/hook")).build())
                .build());
    Await.until(() -> count(published, HealthState.UNKNOWN, HealthState.HEALTHY) == 1, "healthy");
    target.respondWith(503);
    Await.until(() -> receiver.accepted().size() == 2, "unhealthy and circuit_open alerted");
    // At least one failed trial of the open circuit, which must not alert.
    Await.until(
        () -> count(published, HealthState.UNHEALTHY, HealthState.CIRCUIT_OPEN) >= 2,
        "a failed trial");
    target.respondWith(200);
    Await.until(() -> receiver.accepted().size() == 3, "the recovery alerted");
    // Five more healthy rounds, and every alert they caused delivered or given up.
    await(LaterRounds.of(vertx, checker, "s0", 5));
    Await.until(() -> waiting(checker.alertStats()) == 0, "every alert delivered or given up");

    List<WebhookReceiver.Received> alerts = receiver.requests();
    assertThat(alerts).hasSize(3);
    assertThat(alerts)
        .extracting(a -> a.body().getString("previous_state"), WebhookReceiver.Received::newState)
        .containsExactly(
            tuple("healthy", "unhealthy"),
            tuple("unhealthy", "circuit_open"),
            tuple("unhealthy", "healthy"));
    assertThat(alerts)
        .extracting(a -> a.body().getString("reason"))
        .containsExactly(
            "HTTP 503", "circuit open after 2 consecutive failures", "check succeeded");
    for (WebhookReceiver.Received alert : alerts) {
      JsonObject body = alert.body();
      assertThat(body.getInteger("schema_version")).isEqualTo(1);
      assertThat(body.getString("service")).isEqualTo("s0");
      assertThat(body.getString("service_url")).isEqualTo(target.url());
      assertThat(body.getString("timestamp")).matches(TIMESTAMP);
      assertThat(body.getValue("node")).isNull();
      assertThat(alert.idempotencyKey()).isEqualTo(body.getString("id"));
      assertThat(alert.attempt()).isEqualTo("1");
      assertThat(alert.contentType()).isEqualTo("application/json");
    }
    assertThat(alerts).extracting(a -> a.body().getString("id")).doesNotHaveDuplicates();
    // The timestamp is the transition's own.
    assertThat(alerts.get(0).body().getString("timestamp"))
        .isEqualTo(
            published.stream()
                .filter(t -> t.to() == HealthState.UNHEALTHY)
                .findFirst()
                .map(t -> t.toJson().getString("at"))
                .orElseThrow());
  }

  @Test
  void theSlackFormatSendsOneReadableLine(Vertx vertx) throws Exception {
    TargetServer target = target(vertx, 503);
    WebhookReceiver receiver = receiver(vertx);
    start(
        vertx,
        firstRoundOnly(
            List.of(target.url()),
            fastRetries(receiver.url("/slack")).format(AlertFormat.SLACK).build()));
    Await.until(() -> receiver.accepted().size() == 1, "the alert");

    JsonObject body = receiver.accepted().get(0).body();
    assertThat(body.fieldNames()).containsExactly("text");
    assertThat(body.getString("text"))
        .startsWith(":red_circle: *s0* is unhealthy (was unknown): HTTP 503 — ")
        .matches(".* — " + TIMESTAMP.pattern());
  }

  @Test
  void aReceiverDownForAWhileGetsTheAlertExactlyOnceAfterRetries(Vertx vertx) throws Exception {
    TargetServer target = target(vertx, 503);
    WebhookReceiver receiver = await(WebhookReceiver.down(vertx));
    HealthChecker checker =
        start(
            vertx,
            firstRoundOnly(
                List.of(target.url()),
                fastRetries(receiver.url("/hook")).maxAttempts(1_000).build()));
    // Connection refused, a few times.
    Await.until(() -> checker.alertStats().retried() >= 3, "three retries");
    // Then up, but overloaded for two more attempts.
    await(receiver.respondWith(503, 2, 200).comeUp());
    Await.until(() -> checker.alertStats().sent() == 1, "the alert delivered");
    // A later alert to the same receiver: alerts go one at a time, so once it is delivered
    // the first one can be retried no more.
    recover(target, checker);
    // The receiver counts a delivery before the sender has read its answer: wait for both.
    Await.until(
        () -> receiver.accepted().size() == 2 && checker.alertStats().sent() == 2,
        "the later alert delivered");

    List<WebhookReceiver.Received> requests = receiver.requests().subList(0, 3);
    assertThat(receiver.requests()).hasSize(4);
    assertThat(receiver.acceptedNewStates()).containsExactly("unhealthy", "healthy");
    String id = requests.get(0).body().getString("id");
    assertThat(requests).extracting(WebhookReceiver.Received::idempotencyKey).containsOnly(id);
    List<Integer> attempts = requests.stream().map(r -> Integer.parseInt(r.attempt())).toList();
    assertThat(attempts.get(0)).isGreaterThan(3);
    assertThat(attempts).isSorted().doesNotHaveDuplicates();
    AlertStats stats = checker.alertStats();
    assertThat(stats.queued()).isEqualTo(2);
    assertThat(stats.sent()).isEqualTo(2);
    assertThat(stats.failed()).isZero();
    assertThat(stats.retried()).isEqualTo(attempts.get(2) - 1L);
  }

  @Test
  void aReceiverThatNeverAnswersBlocksNothingAndItsQueueStaysBounded(Vertx vertx) throws Exception {
    int queueSize = 3;
    TargetServer target = target(vertx, 200);
    WebhookReceiver receiver = receiver(vertx).hang();
    OrchestratorConfig config =
        TestConfigs.config(
                List.of(target.url()),
                Duration.ofMillis(20),
                Duration.ofMillis(500),
                1_000_000,
                1,
                Duration.ofMinutes(1))
            .toBuilder()
            .alerts(
                fastRetries(receiver.url("/hook"))
                    .queueSize(queueSize)
                    .maxAttempts(1_000)
                    .retryMax(Duration.ofMillis(50))
                    .attemptTimeout(Duration.ofMillis(200))
                    .build())
            .build();
    HealthChecker checker = new HealthChecker(vertx, config);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    AlertMeters.bind(checker.alertStats(), registry);
    HttpApiVerticle http = new HttpApiVerticle(config, registry);
    await(checker.start());
    await(vertx.deployVerticle(http));
    ApiClient api = new ApiClient(vertx, http.actualPort());
    AlertStats stats = checker.alertStats();

    // Up and down every 100 ms (several checks each way at a 20 ms interval): a transition, and
    // so an alert, every 100 ms. Counted in ticks, not in requests, so the flips do not depend on
    // how many checks fell within a tick.
    AtomicLong ticks = new AtomicLong();
    long flipper =
        vertx.setPeriodic(
            100, tick -> target.respondWith(ticks.incrementAndGet() % 2 == 0 ? 200 : 503));
    Await.until(() -> stats.dropped() >= 5, "five alerts dropped");
    long checksWhileHung = ApiClient.totalChecks(await(api.statusUntil(status -> true)), "s0");
    assertThat(waiting(stats))
        .as("alerts waiting or in delivery")
        .isLessThanOrEqualTo(queueSize + 1);
    assertThat(stats.sent()).isZero();

    // The same counters in /metrics.
    PrometheusText metrics = PrometheusText.parse(await(api.get("/metrics")).bodyAsString());
    assertThat(metrics.value("orchestrator_alerts_total", Map.of("outcome", "dropped")))
        .isGreaterThanOrEqualTo(5);
    assertThat(metrics.value("orchestrator_alerts_total", Map.of("outcome", "sent"))).isZero();
    assertThat(metrics.value("orchestrator_alerts_queued_total", Map.of())).isGreaterThan(0);
    assertThat(metrics.value("orchestrator_alerts_pending", Map.of()))
        .isBetween(0.0, queueSize + 1.0);

    await(api.statusUntil(later -> ApiClient.totalChecks(later, "s0") > checksWhileHung + 10));
    vertx.cancelTimer(flipper);
    target.respondWith(200);
    receiver.respondWith(200);
    Await.until(() -> stats.sent() > 0 && waiting(stats) == 0, "the queue drained");
    api.close();
    assertThat(receiver.accepted())
        .extracting(WebhookReceiver.Received::idempotencyKey)
        .doesNotHaveDuplicates();
    assertThat(stats.failed()).isZero();
  }

  @Test
  void aServiceWebhookGetsItsServiceAndTheGlobalOneGetsEveryServiceOnce(Vertx vertx)
      throws Exception {
    TargetServer target = target(vertx, 503);
    WebhookReceiver global = receiver(vertx);
    WebhookReceiver team = receiver(vertx);
    String url = target.url();
    String globalUrl = global.url("/all");
    HealthChecker checker =
        start(
            vertx,
            withServiceAlerts(
                firstRoundOnly(List.of(url, url, url), fastRetries(globalUrl).build()),
                ServiceAlert.NONE,
                new ServiceAlert(team.url("/team"), AlertFormat.SLACK),
                // The global webhook named again: still one alert.
                new ServiceAlert(globalUrl, AlertFormat.JSON)));
    Await.until(
        () -> global.accepted().size() == 3 && team.accepted().size() == 1, "the first alerts");
    // Later alerts to both receivers: once they are delivered, a duplicate of an earlier one
    // would have been too, since each receiver gets its alerts one at a time.
    recover(target, checker);
    Await.until(() -> recovered(global) == 3 && recovered(team) == 1, "the recoveries delivered");

    assertThat(global.requests())
        .extracting(r -> r.body().getString("service"), WebhookReceiver.Received::newState)
        .containsExactlyInAnyOrder(
            tuple("s0", "unhealthy"),
            tuple("s1", "unhealthy"),
            tuple("s2", "unhealthy"),
            tuple("s0", "healthy"),
            tuple("s1", "healthy"),
            tuple("s2", "healthy"));
    assertThat(team.requests())
        .extracting(r -> r.body().getString("text"))
        .satisfiesExactly(
            first -> assertThat(first).contains("*s1* is unhealthy"),
            second -> assertThat(second).contains("*s1* is healthy"));
  }

  @Test
  void aRefusedAlertIsNotRetriedAndAFailingOneIsGivenUpAfterTheLastAttempt(Vertx vertx)
      throws Exception {
    TargetServer target = target(vertx, 503);
    WebhookReceiver refusing = receiver(vertx).respondWith(400);
    WebhookReceiver failing = receiver(vertx).respondWith(503);
    String url = target.url();
    HealthChecker checker =
        start(
            vertx,
            withServiceAlerts(
                firstRoundOnly(List.of(url, url), fastRetries(null).maxAttempts(3).build()),
                new ServiceAlert(refusing.url("/"), AlertFormat.JSON),
                new ServiceAlert(failing.url("/"), AlertFormat.JSON)));
    AlertStats stats = checker.alertStats();
    Await.until(() -> stats.failed() == 2, "both alerts given up");
    // Later alerts to both receivers, given up on in their turn: each receiver gets its alerts
    // one at a time, so a further attempt at an earlier one would have come first.
    recover(target, checker);
    Await.until(() -> stats.failed() == 4, "the later alerts given up");

    assertThat(refusing.requests())
        .extracting(WebhookReceiver.Received::attempt)
        .containsExactly("1", "1");
    assertThat(failing.requests())
        .extracting(WebhookReceiver.Received::attempt)
        .containsExactly("1", "2", "3", "1", "2", "3");
    assertThat(stats.retried()).isEqualTo(4);
    assertThat(stats.sent()).isZero();
  }
}
