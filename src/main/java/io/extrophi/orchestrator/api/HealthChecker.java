package io.extrophi.orchestrator.api;

import io.extrophi.orchestrator.alert.AlertStats;
import io.extrophi.orchestrator.bus.EventBusAddresses;
import io.extrophi.orchestrator.bus.MessageSchema;
import io.extrophi.orchestrator.cluster.ClusterNode;
import io.extrophi.orchestrator.config.OrchestratorConfig;
import io.extrophi.orchestrator.config.RuntimeSettings;
import io.extrophi.orchestrator.config.ServiceDefinition;
import io.extrophi.orchestrator.deploy.OrchestratorDeployment;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * Monitoring without the HTTP API, for applications that embed the orchestrator: the Java
 * counterpart of the original design's {@code HealthChecker(check_interval, timeout,
 * failure_threshold)}.
 *
 * <pre>{@code
 * HealthChecker checker = new HealthChecker(vertx, Duration.ofSeconds(30), Duration.ofSeconds(5), 5);
 * checker.start()
 *     .compose(started -> checker.status())
 *     .onSuccess(status -> System.out.println(status.encodePrettily()));
 * // later
 * checker.stop();
 * }</pre>
 *
 * <p>A facade over {@link OrchestratorDeployment}, which deploys the monitoring.
 *
 * <p>One checker per Vert.x instance: the event-bus addresses it serves are fixed.
 */
public final class HealthChecker {

  private final Vertx vertx;
  private final OrchestratorConfig config;
  private final AlertStats alertStats = new AlertStats();
  private final OrchestratorDeployment deployment;

  /**
   * Monitors the default services with the given timings and the default circuit settings.
   *
   * @param checkInterval time between rounds of checks
   * @param timeout request timeout of one probe
   * @param failureThreshold consecutive failures that open a circuit
   */
  public HealthChecker(
      Vertx vertx, Duration checkInterval, Duration timeout, int failureThreshold) {
    this(
        vertx,
        OrchestratorConfig.builder()
            .services(
                OrchestratorConfig.DEFAULT_SERVICES.stream()
                    .map(service -> service.toBuilder().interval(checkInterval).timeout(timeout))
                    .map(ServiceDefinition.Builder::build)
                    .toList())
            .checkInterval(checkInterval)
            .checkTimeout(timeout)
            .failureThreshold(failureThreshold)
            .runtime(RuntimeSettings.inMemory())
            .build());
  }

  /** Monitors exactly what {@code config} describes; its HTTP settings are not used here. */
  public HealthChecker(Vertx vertx, OrchestratorConfig config) {
    this(vertx, config, null);
  }

  /**
   * Monitors what {@code config} describes as one node of a cluster: the node probes its share of
   * the services and holds the status of all of them.
   *
   * @param cluster the node's cluster; {@code null} for a single process
   */
  public HealthChecker(Vertx vertx, OrchestratorConfig config, ClusterNode cluster) {
    this.vertx = vertx;
    this.config = config;
    this.deployment = new OrchestratorDeployment(vertx, config, cluster, alertStats);
  }

  public OrchestratorConfig config() {
    return config;
  }

  /** Counters of alert delivery, e.g. for a metrics exporter; kept across stop and start. */
  public AlertStats alertStats() {
    return alertStats;
  }

  /**
   * Starts monitoring: the first round of checks begins as soon as the probe path is warm (a second
   * or two). Called from inside a verticle, the checker's verticles become children of it and stop
   * with it.
   */
  public Future<Void> start() {
    return deploy().onSuccess(deployed -> beginProbing());
  }

  /**
   * Deploys the checker's verticles, which warm the probe path up, but begins no round until {@link
   * #beginProbing()} (and the warm-up is over): an application that deploys more (an HTTP server,
   * say) does so first, so that the first probes are not timed while it starts on the same cores.
   */
  public Future<Void> deploy() {
    return deployment.deployMonitoring();
  }

  /** Begins the first round of checks of a checker {@link #deploy() deployed} before. */
  public void beginProbing() {
    deployment.beginProbing();
  }

  /** The current status, the same JSON as {@code GET /health/status}. */
  public Future<JsonObject> status() {
    return request(EventBusAddresses.STATUS_QUERY, Duration.ofSeconds(10));
  }

  /** Checks every service now and returns {@code {"timestamp":…,"services":{…}}}. */
  public Future<JsonObject> trigger() {
    return request(EventBusAddresses.TRIGGER_CHECKS, config.checkTimeout().plusSeconds(10));
  }

  /** Stops the timer, releases the HTTP client and the circuits. */
  public Future<Void> stop() {
    return deployment.undeploy();
  }

  private Future<JsonObject> request(String address, Duration timeout) {
    return vertx
        .eventBus()
        .<JsonObject>request(
            address, new JsonObject(), MessageSchema.localDelivery(timeout.toMillis()))
        .map(Message::body);
  }
}
