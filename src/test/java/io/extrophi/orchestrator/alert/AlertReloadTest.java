package io.extrophi.orchestrator.alert;

import static io.extrophi.orchestrator.testing.AlertingConfigs.fastRetries;
import static io.extrophi.orchestrator.testing.AlertingConfigs.withServiceAlerts;
import static io.extrophi.orchestrator.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.extrophi.orchestrator.bus.EventBusAddresses;
import io.extrophi.orchestrator.bus.HealthState;
import io.extrophi.orchestrator.bus.HealthTransition;
import io.extrophi.orchestrator.config.AlertFormat;
import io.extrophi.orchestrator.config.OrchestratorConfig;
import io.extrophi.orchestrator.config.ServiceAlert;
import io.extrophi.orchestrator.testing.Await;
import io.extrophi.orchestrator.testing.IntegrationTest;
import io.extrophi.orchestrator.testing.TestConfigs;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A configuration reload ({@code CONFIG_CHANGED}) changes where alerts go without losing what is
 * queued for a receiver still configured. Transitions are published on the event bus directly, as
 * the status verticle does.
 */
@ExtendWith(VertxExtension.class)
@IntegrationTest
class AlertReloadTest {

  private final AlertStats stats = new AlertStats();

  private static OrchestratorConfig config(String globalWebhook) {
    return TestConfigs.firstRoundOnly(List.of("http://127.0.0.1:1/health"), Duration.ofSeconds(1))
        .toBuilder()
        .alerts(
            fastRetries(globalWebhook).maxAttempts(1_000).retryMax(Duration.ofMillis(50)).build())
        .build();
  }

  /** Deploys the alert verticle alone, alerting {@code globalWebhook}. */
  private void deploy(Vertx vertx, String globalWebhook) throws Exception {
    await(vertx.deployVerticle(new AlertVerticle(config(globalWebhook), null, stats)));
  }

  private static void publish(Vertx vertx, HealthState from, HealthState to, long second) {
    publish(vertx, "s0", from, to, second);
  }

  private static void publish(
      Vertx vertx, String service, HealthState from, HealthState to, long second) {
    vertx
        .eventBus()
        .publish(
            EventBusAddresses.HEALTH_TRANSITIONS,
            new HealthTransition(service, from, to, "test", Instant.ofEpochSecond(second))
                .toJson());
  }

  private static void reload(Vertx vertx, OrchestratorConfig next) {
    vertx.eventBus().publish(EventBusAddresses.CONFIG_CHANGED, next.toJson());
  }

  @Test
  void aReceiverStillConfiguredKeepsItsQueuedAlertAndANewOneGetsLaterAlerts(Vertx vertx)
      throws Exception {
    WebhookReceiver kept = await(WebhookReceiver.start(vertx)).respondWith(503);
    WebhookReceiver added = await(WebhookReceiver.start(vertx));
    deploy(vertx, kept.url("/kept"));
    publish(vertx, HealthState.HEALTHY, HealthState.UNHEALTHY, 1);
    Await.until(() -> kept.requests().size() >= 2, "a retry");
    // The old global webhook becomes the service's own; a new global one appears.
    reload(
        vertx,
        withServiceAlerts(
            config(added.url("/added")), new ServiceAlert(kept.url("/kept"), AlertFormat.JSON)));
    // The verticle takes its messages in order: once an alert of another service reaches the new
    // global webhook, the reload has been applied.
    publish(vertx, "marker", HealthState.HEALTHY, HealthState.UNHEALTHY, 1);
    Await.until(() -> added.accepted().size() == 1, "the reload applied");
    kept.respondWith(200);
    Await.until(() -> kept.accepted().size() == 1, "the queued alert delivered");
    publish(vertx, HealthState.UNHEALTHY, HealthState.HEALTHY, 2);
    Await.until(
        () -> kept.accepted().size() == 2 && added.accepted().size() == 2,
        "the recovery delivered to both");

    assertThat(kept.acceptedNewStates()).containsExactly("unhealthy", "healthy");
    assertThat(added.accepted())
        .extracting(r -> r.body().getString("service"), WebhookReceiver.Received::newState)
        .containsExactly(tuple("marker", "unhealthy"), tuple("s0", "healthy"));
    assertThat(stats.dropped()).isZero();
  }

  @Test
  void aRemovedReceiverLosesItsQueueAndLaterAlertsGoToTheNewWebhook(Vertx vertx) throws Exception {
    WebhookReceiver removed = await(WebhookReceiver.start(vertx)).respondWith(503);
    // Three retries, each a backoff wait as long as the removed queue's were: time enough for
    // that queue to have tried again, had it been kept.
    WebhookReceiver replacement = await(WebhookReceiver.start(vertx)).respondWith(503, 3, 200);
    deploy(vertx, removed.url("/old"));
    publish(vertx, HealthState.HEALTHY, HealthState.UNHEALTHY, 1);
    Await.until(() -> removed.requests().size() >= 2, "a retry");
    reload(vertx, config(replacement.url("/new")));
    Await.until(() -> stats.dropped() == 1, "the removed queue dropped");
    int requestsAtRemoval = removed.requests().size();
    publish(vertx, HealthState.UNHEALTHY, HealthState.HEALTHY, 2);
    Await.until(() -> replacement.accepted().size() == 1, "the recovery retried and delivered");

    assertThat(removed.requests()).hasSize(requestsAtRemoval);
    assertThat(replacement.requests())
        .extracting(WebhookReceiver.Received::newState, WebhookReceiver.Received::attempt)
        .containsExactly(
            tuple("healthy", "1"),
            tuple("healthy", "2"),
            tuple("healthy", "3"),
            tuple("healthy", "4"));
    assertThat(stats.queued()).isEqualTo(2);
    assertThat(stats.sent()).isEqualTo(1);
  }

  @Test
  void withoutAnyWebhookNothingIsQueued(Vertx vertx) throws Exception {
    WebhookReceiver later = await(WebhookReceiver.start(vertx));
    deploy(vertx, null);
    publish(vertx, HealthState.HEALTHY, HealthState.UNHEALTHY, 1);
    // A webhook configured after it, and a later transition alerted to it: the verticle takes its
    // messages in order, so the first one has been handled by then.
    reload(vertx, config(later.url("/later")));
    publish(vertx, HealthState.UNHEALTHY, HealthState.HEALTHY, 2);
    Await.until(() -> later.accepted().size() == 1, "the later alert delivered");

    assertThat(later.acceptedNewStates()).containsExactly("healthy");
    assertThat(stats.queued()).isEqualTo(1);
  }
}
