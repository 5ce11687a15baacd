package io.extrophi.orchestrator.testing;

import static io.extrophi.orchestrator.testing.Await.await;

import io.extrophi.orchestrator.alert.AlertStats;
import io.extrophi.orchestrator.alert.WebhookReceiver;
import io.extrophi.orchestrator.api.HealthChecker;
import io.extrophi.orchestrator.config.AlertSettings;
import io.extrophi.orchestrator.config.OrchestratorConfig;
import io.extrophi.orchestrator.config.RuntimeSettings;
import io.extrophi.orchestrator.config.ServiceDefinition;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;

/**
 * An orchestrator ({@link HealthChecker}) whose alerts go to a real webhook receiver on 127.0.0.1,
 * its rounds run only when a test triggers them, so that "a round later" is exact. No circuit opens
 * during a test: each outage is one transition per service. Used from a test's own thread.
 *
 * <pre>{@code
 * fixture = AlertReceiverFixture.start(vertx, List.of(AlertReceiverFixture.service("writer", target).build()));
 * target.respondWith(503);
 * fixture.round();
 * List<JsonObject> alerts = fixture.alertsSettleAt(1);
 * }</pre>
 */
public final class AlertReceiverFixture {

  private final WebhookReceiver receiver;
  private final HealthChecker checker;

  private AlertReceiverFixture(WebhookReceiver receiver, HealthChecker checker) {
    this.receiver = receiver;
    this.checker = checker;
  }

  /** A service checked at {@code target} only when triggered, with a generous timeout. */
  public static ServiceDefinition.Builder service(String name, TargetServer target) {
    return ServiceDefinition.builder(name, target.url())
        .interval(Duration.ofMinutes(10))
        .timeout(Duration.ofSeconds(5));
  }

  /** Starts the receiver and an orchestrator checking {@code services}, and runs a first round. */
  public static AlertReceiverFixture start(Vertx vertx, List<ServiceDefinition> services)
      throws Exception {
    WebhookReceiver receiver = await(WebhookReceiver.start(vertx));
    OrchestratorConfig config =
        OrchestratorConfig.builder()
            .services(services)
            .checkInterval(Duration.ofMinutes(10))
            .failureThreshold(1_000)
            .http("127.0.0.1", 0)
            .runtime(RuntimeSettings.inMemory().toBuilder().triggerMinGap(Duration.ZERO).build())
            // A slow answer on a busy machine, retried, would count as a second alert.
            .alerts(
                AlertingConfigs.fastRetries(receiver.url("/hook"))
                    .attemptTimeout(AlertSettings.DEFAULT_ATTEMPT_TIMEOUT)
                    .build())
            .build();
    AlertReceiverFixture fixture =
        new AlertReceiverFixture(receiver, new HealthChecker(vertx, config));
    await(fixture.checker.start());
    fixture.round();
    return fixture;
  }

  public WebhookReceiver receiver() {
    return receiver;
  }

  public HealthChecker checker() {
    return checker;
  }

  /** One triggered round, answered once its results and transitions are recorded. */
  public void round() throws Exception {
    await(LaterRounds.triggered(checker, 1));
  }

  /**
   * Waits until {@code count} alerts arrived, then runs two more rounds and waits until every
   * queued alert is delivered or given up, to prove no more come; the bodies of all received.
   */
  public List<JsonObject> alertsSettleAt(int count) throws Exception {
    Await.until(() -> receiver.requests().size() >= count, count + " alerts");
    round();
    round();
    Await.until(
        () -> waiting(checker.alertStats()) == 0, "every queued alert delivered or given up");
    return receiver.requests().stream().map(WebhookReceiver.Received::body).toList();
  }

  /** Alerts queued and not yet sent, given up on or dropped. */
  public static long waiting(AlertStats stats) {
    return stats.queued() - stats.sent() - stats.failed() - stats.dropped();
  }

  public void stop() throws Exception {
    await(checker.stop());
    await(receiver.close());
  }
}
