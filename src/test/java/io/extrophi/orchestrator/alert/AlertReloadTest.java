package io.extrophi.orchestrator.alert;

import static io.extrophi.orchestrator.testing.Checked.thenComplete;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.extrophi.orchestrator.bus.EventBusAddresses;
import io.extrophi.orchestrator.bus.HealthState;
import io.extrophi.orchestrator.bus.HealthTransition;
import io.extrophi.orchestrator.config.AlertFormat;
import io.extrophi.orchestrator.config.AlertSettings;
import io.extrophi.orchestrator.config.OrchestratorConfig;
import io.extrophi.orchestrator.config.ServiceAlert;
import io.extrophi.orchestrator.testing.Eventually;
import io.extrophi.orchestrator.testing.IntegrationTest;
import io.extrophi.orchestrator.testing.TestConfigs;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
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

  private static final long DEADLINE_MS = 20_000;

  private final AlertStats stats = new AlertStats();

  private static OrchestratorConfig config(String globalWebhook) {
    return TestConfigs.firstRoundOnly(List.of("http://127.0.0.1:1/health"), Duration.ofSeconds(1))
        .toBuilder()
        .alerts(
            AlertSettings.builder()
                .webhook(globalWebhook)
                .format(AlertFormat.JSON)
                .queueSize(100)
                .maxAttempts(1_000)
                .retryInitial(Duration.ofMillis(20))
                .retryMax(Duration.ofMillis(50))
                .attemptTimeout(Duration.ofSeconds(2))
                .build())
        .build();
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
  void aReceiverStillConfiguredKeepsItsQueuedAlertAndANewOneGetsLaterAlerts(
      Vertx vertx, VertxTestContext test) {
    AtomicReference<WebhookReceiver> kept = new AtomicReference<>();
    AtomicReference<WebhookReceiver> added = new AtomicReference<>();
    Future.all(WebhookReceiver.start(vertx), WebhookReceiver.start(vertx))
        .compose(
            started -> {
              kept.set(((WebhookReceiver) started.resultAt(0)).respondWith(503));
              added.set(started.resultAt(1));
              return vertx.deployVerticle(
                  new AlertVerticle(config(kept.get().url("/kept")), null, stats));
            })
        .compose(
            deployed -> {
              publish(vertx, HealthState.HEALTHY, HealthState.UNHEALTHY, 1);
              return Eventually.until(vertx, () -> kept.get().requests().size() >= 2, DEADLINE_MS);
            })
        .compose(
            retrying -> {
              // The old global webhook becomes the service's own; a new global one appears.
              OrchestratorConfig next = config(added.get().url("/added"));
              next =
                  next.toBuilder()
                      .services(
                          List.of(
                              next.services().get(0).toBuilder()
                                  .alert(
                                      new ServiceAlert(kept.get().url("/kept"), AlertFormat.JSON))
                                  .build()))
                      .build();
              reload(vertx, next);
              // The verticle takes its messages in order: once an alert of another service
              // reaches the new global webhook, the reload has been applied.
              publish(vertx, "marker", HealthState.HEALTHY, HealthState.UNHEALTHY, 1);
              return Eventually.until(vertx, () -> added.get().accepted().size() == 1, DEADLINE_MS);
            })
        .compose(
            reloaded -> {
              kept.get().respondWith(200);
              return Eventually.until(vertx, () -> kept.get().accepted().size() == 1, DEADLINE_MS);
            })
        .compose(
            delivered -> {
              publish(vertx, HealthState.UNHEALTHY, HealthState.HEALTHY, 2);
              return Eventually.until(
                  vertx,
                  () -> kept.get().accepted().size() == 2 && added.get().accepted().size() == 2,
                  DEADLINE_MS);
            })
        .onComplete(
            thenComplete(
                test,
                done -> {
                  assertThat(kept.get().acceptedNewStates())
                      .containsExactly("unhealthy", "healthy");
                  assertThat(added.get().accepted())
                      .extracting(
                          r -> r.body().getString("service"), WebhookReceiver.Received::newState)
                      .containsExactly(tuple("marker", "unhealthy"), tuple("s0", "healthy"));
                  assertThat(stats.dropped()).isZero();
                }));
  }

  @Test
  void aRemovedReceiverLosesItsQueueAndLaterAlertsGoToTheNewWebhook(
      Vertx vertx, VertxTestContext test) {
    AtomicReference<WebhookReceiver> removed = new AtomicReference<>();
    AtomicReference<WebhookReceiver> replacement = new AtomicReference<>();
    AtomicInteger requestsAtRemoval = new AtomicInteger();
    Future.all(WebhookReceiver.start(vertx), WebhookReceiver.start(vertx))
        .compose(
            started -> {
              removed.set(((WebhookReceiver) started.resultAt(0)).respondWith(503));
              // Three retries, each a backoff wait as long as the removed queue's were: time
              // enough for that queue to have tried again, had it been kept.
              replacement.set(((WebhookReceiver) started.resultAt(1)).respondWith(503, 3, 200));
              return vertx.deployVerticle(
                  new AlertVerticle(config(removed.get().url("/old")), null, stats));
            })
        .compose(
            deployed -> {
              publish(vertx, HealthState.HEALTHY, HealthState.UNHEALTHY, 1);
              return Eventually.until(
                  vertx, () -> removed.get().requests().size() >= 2, DEADLINE_MS);
            })
        .compose(
            retrying -> {
              reload(vertx, config(replacement.get().url("/new")));
              return Eventually.until(vertx, () -> stats.dropped() == 1, DEADLINE_MS);
            })
        .compose(
            dropped -> {
              requestsAtRemoval.set(removed.get().requests().size());
              publish(vertx, HealthState.UNHEALTHY, HealthState.HEALTHY, 2);
              return Eventually.until(
                  vertx, () -> replacement.get().accepted().size() == 1, DEADLINE_MS);
            })
        .onComplete(
            thenComplete(
                test,
                retriedAndDelivered -> {
                  assertThat(removed.get().requests()).hasSize(requestsAtRemoval.get());
                  assertThat(replacement.get().requests())
                      .extracting(
                          WebhookReceiver.Received::newState, WebhookReceiver.Received::attempt)
                      .containsExactly(
                          tuple("healthy", "1"),
                          tuple("healthy", "2"),
                          tuple("healthy", "3"),
                          tuple("healthy", "4"));
                  assertThat(stats.queued()).isEqualTo(2);
                  assertThat(stats.sent()).isEqualTo(1);
                }));
  }

  @Test
  void withoutAnyWebhookNothingIsQueued(Vertx vertx, VertxTestContext test) {
    AtomicReference<WebhookReceiver> later = new AtomicReference<>();
    WebhookReceiver.start(vertx)
        .compose(
            started -> {
              later.set(started);
              return vertx.deployVerticle(new AlertVerticle(config(null), null, stats));
            })
        .compose(
            deployed -> {
              publish(vertx, HealthState.HEALTHY, HealthState.UNHEALTHY, 1);
              // A webhook configured after it, and a later transition alerted to it: the verticle
              // takes its messages in order, so the first one has been handled by then.
              reload(vertx, config(later.get().url("/later")));
              publish(vertx, HealthState.UNHEALTHY, HealthState.HEALTHY, 2);
              return Eventually.until(vertx, () -> later.get().accepted().size() == 1, DEADLINE_MS);
            })
        .onComplete(
            thenComplete(
                test,
                delivered -> {
                  assertThat(later.get().acceptedNewStates()).containsExactly("healthy");
                  assertThat(stats.queued()).isEqualTo(1);
                }));
  }
}
