package io.extrophi.orchestrator.alert;

import static io.extrophi.orchestrator.testing.Checked.thenComplete;
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
import io.extrophi.orchestrator.config.ServiceDefinition;
import io.extrophi.orchestrator.http.HttpApiVerticle;
import io.extrophi.orchestrator.metrics.AlertMeters;
import io.extrophi.orchestrator.testing.ApiClient;
import io.extrophi.orchestrator.testing.Eventually;
import io.extrophi.orchestrator.testing.IntegrationTest;
import io.extrophi.orchestrator.testing.LaterRounds;
import io.extrophi.orchestrator.testing.PrometheusText;
import io.extrophi.orchestrator.testing.TargetServer;
import io.extrophi.orchestrator.testing.TestConfigs;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Alerts from a running orchestrator ({@link HealthChecker}) to real webhook receivers on
 * 127.0.0.1: which transitions alert, the payloads, retries, a receiver that hangs, routing.
 */
@ExtendWith(VertxExtension.class)
@IntegrationTest
class AlertWebhookTest {

  private static final Pattern TIMESTAMP =
      Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z");

  private static final long DEADLINE_MS = 20_000;

  /** Fast retries, so that a test sees several within a second. */
  private static AlertSettings fastAlerts(String webhook, AlertFormat format, int maxAttempts) {
    return AlertSettings.builder()
        .webhook(webhook)
        .format(format)
        .queueSize(100)
        .maxAttempts(maxAttempts)
        .retryInitial(Duration.ofMillis(20))
        .retryMax(Duration.ofMillis(100))
        .attemptTimeout(Duration.ofSeconds(2))
        .build();
  }

  /** Only the first round of checks runs: one transition per service. */
  private static OrchestratorConfig firstRoundOnly(List<String> urls, AlertSettings alerts) {
    return TestConfigs.firstRoundOnly(urls, Duration.ofSeconds(2)).toBuilder()
        .alerts(alerts)
        .build();
  }

  private static List<HealthTransition> recordTransitions(Vertx vertx) {
    List<HealthTransition> published = new CopyOnWriteArrayList<>();
    vertx
        .eventBus()
        .<JsonObject>localConsumer(
            EventBusAddresses.HEALTH_TRANSITIONS,
            message -> published.add(HealthTransition.fromJson(message.body())));
    return published;
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

  /** Alerts queued and not yet sent, given up on or dropped. */
  private static long waitingAlerts(AlertStats stats) {
    return stats.queued() - stats.sent() - stats.failed() - stats.dropped();
  }

  @Test
  void aTargetGoingDownAndUpAlertsEachTransitionOnceInOrder(Vertx vertx, VertxTestContext test) {
    List<HealthTransition> published = recordTransitions(vertx);
    AtomicReference<TargetServer> target = new AtomicReference<>();
    AtomicReference<WebhookReceiver> receiver = new AtomicReference<>();
    AtomicReference<HealthChecker> checker = new AtomicReference<>();
    Future.all(TargetServer.start(vertx), WebhookReceiver.start(vertx))
        .compose(
            started -> {
              target.set(started.resultAt(0));
              receiver.set(started.resultAt(1));
              OrchestratorConfig config =
                  TestConfigs.config(
                          List.of(target.get().url()),
                          Duration.ofMillis(50),
                          // Generous: a first probe timing out on a busy machine would alert.
                          Duration.ofSeconds(5),
                          2,
                          1,
                          Duration.ofMillis(300))
                      .toBuilder()
                      .alerts(fastAlerts(receiver.get().url("/hook"), AlertFormat.JSON, 10))
                      .build();
              checker.set(new HealthChecker(vertx, config));
              return checker.get().start();
            })
        .compose(
            started ->
                Eventually.until(
                    vertx,
                    () -> count(published, HealthState.UNKNOWN, HealthState.HEALTHY) == 1,
                    DEADLINE_MS))
        .compose(
            healthy -> {
              target.get().respondWith(503);
              return Eventually.until(
                  vertx, () -> receiver.get().accepted().size() == 2, DEADLINE_MS);
            })
        // At least one failed trial of the open circuit, which must not alert.
        .compose(
            open ->
                Eventually.until(
                    vertx,
                    () -> count(published, HealthState.UNHEALTHY, HealthState.CIRCUIT_OPEN) >= 2,
                    DEADLINE_MS))
        .compose(
            trialFailed -> {
              target.get().respondWith(200);
              return Eventually.until(
                  vertx, () -> receiver.get().accepted().size() == 3, DEADLINE_MS);
            })
        // Five more healthy rounds, and every alert they caused delivered or given up.
        .compose(recovered -> LaterRounds.of(vertx, checker.get(), "s0", 5))
        .compose(
            quiet ->
                Eventually.until(
                    vertx, () -> waitingAlerts(checker.get().alertStats()) == 0, DEADLINE_MS))
        .onComplete(
            thenComplete(
                test,
                quiet -> {
                  List<WebhookReceiver.Received> alerts = receiver.get().requests();
                  assertThat(alerts).hasSize(3);
                  assertThat(alerts)
                      .extracting(
                          a -> a.body().getString("previous_state"),
                          WebhookReceiver.Received::newState)
                      .containsExactly(
                          tuple("healthy", "unhealthy"),
                          tuple("unhealthy", "circuit_open"),
                          tuple("unhealthy", "healthy"));
                  assertThat(alerts)
                      .extracting(a -> a.body().getString("reason"))
                      .containsExactly(
                          "HTTP 503",
                          "circuit open after 2 consecutive failures",
                          "check succeeded");
                  for (WebhookReceiver.Received alert : alerts) {
                    JsonObject body = alert.body();
                    assertThat(body.getInteger("schema_version")).isEqualTo(1);
                    assertThat(body.getString("service")).isEqualTo("s0");
                    assertThat(body.getString("service_url")).isEqualTo(target.get().url());
                    assertThat(body.getString("timestamp")).matches(TIMESTAMP);
                    assertThat(body.getValue("node")).isNull();
                    assertThat(alert.idempotencyKey()).isEqualTo(body.getString("id"));
                    assertThat(alert.attempt()).isEqualTo("1");
                    assertThat(alert.contentType()).isEqualTo("application/json");
                  }
                  assertThat(alerts)
                      .extracting(a -> a.body().getString("id"))
                      .doesNotHaveDuplicates();
                  // The timestamp is the transition's own.
                  assertThat(alerts.get(0).body().getString("timestamp"))
                      .isEqualTo(
                          published.stream()
                              .filter(t -> t.to() == HealthState.UNHEALTHY)
                              .findFirst()
                              .map(t -> t.toJson().getString("at"))
                              .orElseThrow());
                }));
  }

  @Test
  void theSlackFormatSendsOneReadableLine(Vertx vertx, VertxTestContext test) {
    AtomicReference<WebhookReceiver> receiver = new AtomicReference<>();
    Future.all(TargetServer.start(vertx), WebhookReceiver.start(vertx))
        .compose(
            started -> {
              TargetServer target = ((TargetServer) started.resultAt(0)).respondWith(503);
              receiver.set(started.resultAt(1));
              return new HealthChecker(
                      vertx,
                      firstRoundOnly(
                          List.of(target.url()),
                          fastAlerts(receiver.get().url("/slack"), AlertFormat.SLACK, 10)))
                  .start();
            })
        .compose(
            started ->
                Eventually.until(vertx, () -> receiver.get().accepted().size() == 1, DEADLINE_MS))
        .onComplete(
            thenComplete(
                test,
                delivered -> {
                  JsonObject body = receiver.get().accepted().get(0).body();
                  assertThat(body.fieldNames()).containsExactly("text");
                  assertThat(body.getString("text"))
                      .startsWith(":red_circle: *s0* is unhealthy (was unknown): HTTP 503 — ")
                      .matches(".* — " + TIMESTAMP.pattern());
                }));
  }

  @Test
  void aReceiverDownForAWhileGetsTheAlertExactlyOnceAfterRetries(
      Vertx vertx, VertxTestContext test) {
    AtomicReference<TargetServer> target = new AtomicReference<>();
    AtomicReference<WebhookReceiver> receiver = new AtomicReference<>();
    AtomicReference<HealthChecker> checker = new AtomicReference<>();
    Future.all(TargetServer.start(vertx), WebhookReceiver.down(vertx))
        .compose(
            started -> {
              target.set(((TargetServer) started.resultAt(0)).respondWith(503));
              receiver.set(started.resultAt(1));
              checker.set(
                  new HealthChecker(
                      vertx,
                      firstRoundOnly(
                          List.of(target.get().url()),
                          fastAlerts(receiver.get().url("/hook"), AlertFormat.JSON, 1_000))));
              return checker.get().start();
            })
        // Connection refused, a few times.
        .compose(
            started ->
                Eventually.until(
                    vertx, () -> checker.get().alertStats().retried() >= 3, DEADLINE_MS))
        // Then up, but overloaded for two more attempts.
        .compose(refused -> receiver.get().respondWith(503, 2, 200).comeUp())
        .compose(
            up ->
                Eventually.until(vertx, () -> checker.get().alertStats().sent() == 1, DEADLINE_MS))
        // A later alert to the same receiver: alerts go one at a time, so once it is delivered
        // the first one can be retried no more.
        .compose(
            delivered -> {
              target.get().respondWith(200);
              return checker.get().trigger();
            })
        // The receiver counts a delivery before the sender has read its answer: wait for both.
        .compose(
            recovered ->
                Eventually.until(
                    vertx,
                    () ->
                        receiver.get().accepted().size() == 2
                            && checker.get().alertStats().sent() == 2,
                    DEADLINE_MS))
        .onComplete(
            thenComplete(
                test,
                later -> {
                  List<WebhookReceiver.Received> requests = receiver.get().requests().subList(0, 3);
                  assertThat(receiver.get().requests()).hasSize(4);
                  assertThat(receiver.get().acceptedNewStates())
                      .containsExactly("unhealthy", "healthy");
                  String id = requests.get(0).body().getString("id");
                  assertThat(requests)
                      .extracting(WebhookReceiver.Received::idempotencyKey)
                      .containsOnly(id);
                  List<Integer> attempts =
                      requests.stream().map(r -> Integer.parseInt(r.attempt())).toList();
                  assertThat(attempts.get(0)).isGreaterThan(3);
                  assertThat(attempts).isSorted().doesNotHaveDuplicates();
                  AlertStats stats = checker.get().alertStats();
                  assertThat(stats.queued()).isEqualTo(2);
                  assertThat(stats.sent()).isEqualTo(2);
                  assertThat(stats.failed()).isZero();
                  assertThat(stats.retried()).isEqualTo(attempts.get(2) - 1L);
                }));
  }

  @Test
  void aReceiverThatNeverAnswersBlocksNothingAndItsQueueStaysBounded(
      Vertx vertx, VertxTestContext test) {
    int queueSize = 3;
    AtomicReference<TargetServer> target = new AtomicReference<>();
    AtomicReference<WebhookReceiver> receiver = new AtomicReference<>();
    AtomicReference<HealthChecker> checker = new AtomicReference<>();
    AtomicReference<ApiClient> api = new AtomicReference<>();
    AtomicLong checksWhileHung = new AtomicLong();
    AtomicLong flipper = new AtomicLong();
    Future.all(TargetServer.start(vertx), WebhookReceiver.start(vertx))
        .compose(
            started -> {
              target.set(started.resultAt(0));
              receiver.set(((WebhookReceiver) started.resultAt(1)).hang());
              OrchestratorConfig config =
                  TestConfigs.config(
                          List.of(target.get().url()),
                          Duration.ofMillis(20),
                          Duration.ofMillis(500),
                          1_000_000,
                          1,
                          Duration.ofMinutes(1))
                      .toBuilder()
                      .alerts(
                          AlertSettings.builder()
                              .webhook(receiver.get().url("/hook"))
                              .format(AlertFormat.JSON)
                              .queueSize(queueSize)
                              .maxAttempts(1_000)
                              .retryInitial(Duration.ofMillis(20))
                              .retryMax(Duration.ofMillis(50))
                              .attemptTimeout(Duration.ofMillis(200))
                              .build())
                      .build();
              checker.set(new HealthChecker(vertx, config));
              PrometheusMeterRegistry registry =
                  new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
              AlertMeters.bind(checker.get().alertStats(), registry);
              HttpApiVerticle http = new HttpApiVerticle(config, registry);
              return checker
                  .get()
                  .start()
                  .compose(monitoring -> vertx.deployVerticle(http))
                  .map(
                      deployed -> {
                        api.set(new ApiClient(vertx, http.actualPort()));
                        return deployed;
                      });
            })
        .compose(
            running -> {
              // Up and down every 100 ms (several checks each way at a 20 ms interval): a
              // transition, and so an alert, every 100 ms. Counted in ticks, not in requests, so
              // the flips do not depend on how many checks fell within a tick.
              AtomicLong ticks = new AtomicLong();
              flipper.set(
                  vertx.setPeriodic(
                      100,
                      tick ->
                          target.get().respondWith(ticks.incrementAndGet() % 2 == 0 ? 200 : 503)));
              return Eventually.until(
                  vertx, () -> checker.get().alertStats().dropped() >= 5, DEADLINE_MS);
            })
        .compose(dropping -> api.get().statusUntil(status -> true))
        .compose(
            status -> {
              checksWhileHung.set(ApiClient.totalChecks(status, "s0"));
              AlertStats stats = checker.get().alertStats();
              assertThat(stats.queued() - stats.sent() - stats.failed() - stats.dropped())
                  .as("alerts waiting or in delivery")
                  .isLessThanOrEqualTo(queueSize + 1);
              assertThat(stats.sent()).isZero();
              return api.get().get("/metrics");
            })
        .compose(
            scrape -> {
              // The same counters in /metrics.
              PrometheusText metrics = PrometheusText.parse(scrape.bodyAsString());
              assertThat(metrics.value("orchestrator_alerts_total", Map.of("outcome", "dropped")))
                  .isGreaterThanOrEqualTo(5);
              assertThat(metrics.value("orchestrator_alerts_total", Map.of("outcome", "sent")))
                  .isZero();
              assertThat(metrics.value("orchestrator_alerts_queued_total", Map.of()))
                  .isGreaterThan(0);
              assertThat(metrics.value("orchestrator_alerts_pending", Map.of()))
                  .isBetween(0.0, queueSize + 1.0);
              return api.get()
                  .statusUntil(
                      later -> ApiClient.totalChecks(later, "s0") > checksWhileHung.get() + 10);
            })
        .compose(
            stillProbing -> {
              vertx.cancelTimer(flipper.get());
              target.get().respondWith(200);
              receiver.get().respondWith(200);
              AlertStats stats = checker.get().alertStats();
              return Eventually.until(
                  vertx,
                  () ->
                      stats.sent() > 0
                          && stats.queued() == stats.sent() + stats.failed() + stats.dropped(),
                  DEADLINE_MS);
            })
        .onComplete(
            thenComplete(
                test,
                drained -> {
                  api.get().close();
                  assertThat(receiver.get().accepted())
                      .extracting(WebhookReceiver.Received::idempotencyKey)
                      .doesNotHaveDuplicates();
                  assertThat(checker.get().alertStats().failed()).isZero();
                }));
  }

  @Test
  void aServiceWebhookGetsItsServiceAndTheGlobalOneGetsEveryServiceOnce(
      Vertx vertx, VertxTestContext test) {
    AtomicReference<TargetServer> target = new AtomicReference<>();
    AtomicReference<WebhookReceiver> global = new AtomicReference<>();
    AtomicReference<WebhookReceiver> team = new AtomicReference<>();
    AtomicReference<HealthChecker> checker = new AtomicReference<>();
    Future.all(
            TargetServer.start(vertx), WebhookReceiver.start(vertx), WebhookReceiver.start(vertx))
        .compose(
            started -> {
              target.set(((TargetServer) started.resultAt(0)).respondWith(503));
              global.set(started.resultAt(1));
              team.set(started.resultAt(2));
              String globalUrl = global.get().url("/all");
              String url = target.get().url();
              OrchestratorConfig base =
                  firstRoundOnly(
                      List.of(url, url, url), fastAlerts(globalUrl, AlertFormat.JSON, 10));
              List<ServiceDefinition> services = base.services();
              OrchestratorConfig config =
                  base.toBuilder()
                      .services(
                          List.of(
                              services.get(0),
                              services.get(1).toBuilder()
                                  .alert(
                                      new ServiceAlert(team.get().url("/team"), AlertFormat.SLACK))
                                  .build(),
                              // The global webhook named again: still one alert.
                              services.get(2).toBuilder()
                                  .alert(new ServiceAlert(globalUrl, AlertFormat.JSON))
                                  .build()))
                      .build();
              checker.set(new HealthChecker(vertx, config));
              return checker.get().start();
            })
        .compose(
            started ->
                Eventually.until(
                    vertx,
                    () -> global.get().accepted().size() == 3 && team.get().accepted().size() == 1,
                    DEADLINE_MS))
        // Later alerts to both receivers: once they are delivered, a duplicate of an earlier
        // one would have been too, since each receiver gets its alerts one at a time.
        .compose(
            delivered -> {
              target.get().respondWith(200);
              return checker.get().trigger();
            })
        .compose(
            recovered ->
                Eventually.until(
                    vertx,
                    () -> recovered(global.get()) == 3 && recovered(team.get()) == 1,
                    DEADLINE_MS))
        .onComplete(
            thenComplete(
                test,
                later -> {
                  assertThat(global.get().requests())
                      .extracting(
                          r -> r.body().getString("service"), WebhookReceiver.Received::newState)
                      .containsExactlyInAnyOrder(
                          tuple("s0", "unhealthy"),
                          tuple("s1", "unhealthy"),
                          tuple("s2", "unhealthy"),
                          tuple("s0", "healthy"),
                          tuple("s1", "healthy"),
                          tuple("s2", "healthy"));
                  assertThat(team.get().requests())
                      .extracting(r -> r.body().getString("text"))
                      .satisfiesExactly(
                          first -> assertThat(first).contains("*s1* is unhealthy"),
                          second -> assertThat(second).contains("*s1* is healthy"));
                }));
  }

  @Test
  void aRefusedAlertIsNotRetriedAndAFailingOneIsGivenUpAfterTheLastAttempt(
      Vertx vertx, VertxTestContext test) {
    AtomicReference<TargetServer> target = new AtomicReference<>();
    AtomicReference<WebhookReceiver> refusing = new AtomicReference<>();
    AtomicReference<WebhookReceiver> failing = new AtomicReference<>();
    AtomicReference<HealthChecker> checker = new AtomicReference<>();
    Future.all(
            TargetServer.start(vertx), WebhookReceiver.start(vertx), WebhookReceiver.start(vertx))
        .compose(
            started -> {
              target.set(((TargetServer) started.resultAt(0)).respondWith(503));
              refusing.set(((WebhookReceiver) started.resultAt(1)).respondWith(400));
              failing.set(((WebhookReceiver) started.resultAt(2)).respondWith(503));
              String url = target.get().url();
              OrchestratorConfig base =
                  firstRoundOnly(List.of(url, url), fastAlerts(null, AlertFormat.JSON, 3));
              OrchestratorConfig config =
                  base.toBuilder()
                      .services(
                          List.of(
                              base.services().get(0).toBuilder()
                                  .alert(
                                      new ServiceAlert(refusing.get().url("/"), AlertFormat.JSON))
                                  .build(),
                              base.services().get(1).toBuilder()
                                  .alert(new ServiceAlert(failing.get().url("/"), AlertFormat.JSON))
                                  .build()))
                      .build();
              checker.set(new HealthChecker(vertx, config));
              return checker.get().start();
            })
        .compose(
            started ->
                Eventually.until(
                    vertx, () -> checker.get().alertStats().failed() == 2, DEADLINE_MS))
        // Later alerts to both receivers, given up on in their turn: each receiver gets its
        // alerts one at a time, so a further attempt at an earlier one would have come first.
        .compose(
            failed -> {
              target.get().respondWith(200);
              return checker.get().trigger();
            })
        .compose(
            recovered ->
                Eventually.until(
                    vertx, () -> checker.get().alertStats().failed() == 4, DEADLINE_MS))
        .onComplete(
            thenComplete(
                test,
                later -> {
                  assertThat(refusing.get().requests())
                      .extracting(WebhookReceiver.Received::attempt)
                      .containsExactly("1", "1");
                  assertThat(failing.get().requests())
                      .extracting(WebhookReceiver.Received::attempt)
                      .containsExactly("1", "2", "3", "1", "2", "3");
                  AlertStats stats = checker.get().alertStats();
                  assertThat(stats.retried()).isEqualTo(4);
                  assertThat(stats.sent()).isZero();
                }));
  }
}
