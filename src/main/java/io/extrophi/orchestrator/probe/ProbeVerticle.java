package io.extrophi.orchestrator.probe;

import io.extrophi.orchestrator.breaker.BreakerSettings;
import io.extrophi.orchestrator.breaker.ServiceBreaker;
import io.extrophi.orchestrator.bus.EventBusAddresses;
import io.extrophi.orchestrator.bus.ProbeResult;
import io.extrophi.orchestrator.config.OrchestratorConfig;
import io.extrophi.orchestrator.config.ServiceDefinition;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The probe side: a periodic timer on the event loop starts a round of checks, every service of a
 * round is checked concurrently, and every result and circuit transition is published on the event
 * bus. It also answers {@link EventBusAddresses#TRIGGER_CHECKS}.
 *
 * <p>The first round starts as soon as the verticle is deployed.
 */
public final class ProbeVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(ProbeVerticle.class);

  private final Clock clock;
  private final List<ServiceMonitor> monitors = new ArrayList<>();
  private OrchestratorConfig config;
  private WebClient client;
  private MessageConsumer<JsonObject> triggerConsumer;
  private long roundTimer = -1;

  public ProbeVerticle() {
    this(Clock.systemUTC());
  }

  /**
   * @param clock source of the timestamps in results and transitions
   */
  public ProbeVerticle(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Future<?> start() {
    config = OrchestratorConfig.fromJson(config());
    client = WebClient.create(vertx, clientOptions(config), poolOptions(config));
    BreakerSettings breakerSettings = BreakerSettings.from(config);
    for (ServiceDefinition service : config.services()) {
      ServiceBreaker breaker =
          new ServiceBreaker(
              vertx,
              service.name(),
              breakerSettings,
              transition ->
                  vertx
                      .eventBus()
                      .publish(EventBusAddresses.BREAKER_TRANSITIONS, transition.toJson()),
              clock);
      ServiceProbe probe = new ServiceProbe(client, service, config.checkTimeout(), clock);
      monitors.add(new ServiceMonitor(probe, breaker, this::publishResult));
    }
    triggerConsumer =
        vertx.eventBus().consumer(EventBusAddresses.TRIGGER_CHECKS, this::answerTrigger);
    return triggerConsumer
        .completion()
        .onSuccess(
            ignored -> {
              runScheduledRound();
              roundTimer =
                  vertx.setPeriodic(config.checkInterval().toMillis(), tick -> runScheduledRound());
              LOG.info(
                  "monitoring {} services every {} ms (timeout {} ms)",
                  monitors.size(),
                  config.checkInterval().toMillis(),
                  config.checkTimeout().toMillis());
            });
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(roundTimer);
    monitors.forEach(ServiceMonitor::close);
    Future<Void> unregistered =
        triggerConsumer == null ? Future.succeededFuture() : triggerConsumer.unregister();
    if (client != null) {
      // Closing the client ends its pooled keep-alive connections.
      client.close();
    }
    return unregistered;
  }

  /** Checks every service not already being probed; a slow service never delays the others. */
  private void runScheduledRound() {
    for (ServiceMonitor monitor : monitors) {
      if (!monitor.isProbing()) {
        monitor.check();
      }
    }
  }

  /** Checks every service now (joining probes in flight) and replies with their status. */
  private void answerTrigger(Message<JsonObject> request) {
    List<Future<?>> checks = new ArrayList<>(monitors.size());
    monitors.forEach(monitor -> checks.add(monitor.check()));
    Future.join(checks)
        // Results were published before the checks completed, and the event bus keeps one
        // sender's messages in order, so the status verticle has applied them when it answers.
        .transform(ignored -> queryStatus())
        .onSuccess(
            snapshot ->
                request.reply(
                    new JsonObject()
                        .put("timestamp", snapshot.getValue("timestamp"))
                        .put("services", snapshot.getValue("services"))))
        .onFailure(failure -> request.fail(503, "status unavailable: " + failure.getMessage()));
  }

  private Future<JsonObject> queryStatus() {
    return vertx
        .eventBus()
        .<JsonObject>request(
            EventBusAddresses.STATUS_QUERY,
            new JsonObject(),
            new DeliveryOptions().setSendTimeout(Duration.ofSeconds(10).toMillis()))
        .map(Message::body);
  }

  private void publishResult(ProbeResult result) {
    vertx.eventBus().publish(EventBusAddresses.PROBE_RESULTS, result.toJson());
  }

  private static WebClientOptions clientOptions(OrchestratorConfig config) {
    int connectTimeoutMs = (int) Math.min(Integer.MAX_VALUE, config.checkTimeout().toMillis());
    return new WebClientOptions()
        .setUserAgent("orchestrator/0.1.0")
        .setConnectTimeout(connectTimeoutMs)
        .setFollowRedirects(false)
        .setKeepAlive(true);
  }

  /**
   * Each service has at most one probe in flight, so services sharing a host and port never need
   * more connections than there are services; keep-alive reuses them from round to round.
   */
  private static PoolOptions poolOptions(OrchestratorConfig config) {
    return new PoolOptions().setHttp1MaxSize(Math.max(1, Math.min(256, config.services().size())));
  }
}
