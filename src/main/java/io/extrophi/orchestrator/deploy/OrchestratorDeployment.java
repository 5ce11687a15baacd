package io.extrophi.orchestrator.deploy;

import io.extrophi.orchestrator.alert.AlertStats;
import io.extrophi.orchestrator.alert.AlertVerticle;
import io.extrophi.orchestrator.cluster.ClusterNode;
import io.extrophi.orchestrator.cluster.ClusterVerticle;
import io.extrophi.orchestrator.config.OrchestratorConfig;
import io.extrophi.orchestrator.probe.ProbeVerticle;
import io.extrophi.orchestrator.status.StatusVerticle;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The composition root: the one place that deploys the orchestrator's verticles, and in which
 * order. The whole process deploys, in turn:
 *
 * <ol>
 *   <li>the metrics, so that they count the first round's probes;
 *   <li>the status, so the first round's results have somewhere to go;
 *   <li>the alerts, so the first round's transitions are heard;
 *   <li>the probes (warmed, but not probing yet);
 *   <li>in a cluster, the coordinator, last of the monitoring, so the probe side hears its first
 *       assignment; it announces the node to the others only when the probes are ready to begin
 *       (after the status copied the cluster's state), so they probe its share until then;
 *   <li>the configuration reloader, then the HTTP API;
 * </ol>
 *
 * and only then, on {@link #beginProbing()}, the first round, so that its probes are not timed
 * while the rest of the process starts on the same cores. An embedding application ({@code
 * HealthChecker}) deploys the monitoring part alone. Deployed from inside a verticle, everything
 * becomes a child of it and stops with it.
 */
public final class OrchestratorDeployment {

  /** A verticle deployed before the monitoring, or after it, with what to do once it runs. */
  public record Part(Deployable verticle, Runnable onDeployed) {

    public static Part of(Deployable verticle) {
      return new Part(verticle, () -> {});
    }
  }

  private final Vertx vertx;
  private final OrchestratorConfig config;
  private final ClusterNode cluster;
  private final AlertStats alertStats;
  private final List<String> deployments = new ArrayList<>();
  private Promise<Void> firstRound = Promise.promise();

  /**
   * @param cluster the node's cluster; {@code null} for a single process
   * @param alertStats where alert delivery is counted (kept across stop and start)
   */
  public OrchestratorDeployment(
      Vertx vertx, OrchestratorConfig config, ClusterNode cluster, AlertStats alertStats) {
    this.vertx = vertx;
    this.config = config;
    this.cluster = cluster;
    this.alertStats = alertStats;
  }

  /** Deploys the monitoring alone (status, alerts, probes, cluster coordinator). */
  public Future<Void> deployMonitoring() {
    return deploy(List.of(), List.of());
  }

  /**
   * Deploys {@code before} (the metrics), the monitoring, then {@code after} (the reloader and the
   * HTTP API), each part once the one before it runs. No round of checks begins before {@link
   * #beginProbing()}. A failure undeploys what was deployed.
   */
  public Future<Void> deploy(List<Part> before, List<Part> after) {
    if (!deployments.isEmpty()) {
      return Future.failedFuture(new IllegalStateException("already started"));
    }
    firstRound = Promise.promise();
    Clock clock = Clock.systemUTC();
    String nodeId = cluster == null ? null : cluster.membership().nodeId();
    List<Part> parts = new ArrayList<>(before);
    parts.add(
        Part.of(new StatusVerticle(config, clock, cluster == null ? null : cluster.membership())));
    parts.add(Part.of(new AlertVerticle(config, nodeId, alertStats)));
    ProbeVerticle probes = new ProbeVerticle(config, clock, nodeId, firstRound.future());
    parts.add(Part.of(probes));
    if (cluster != null) {
      parts.add(
          Part.of(
              new ClusterVerticle(config, cluster.membership(), cluster.quorum(), probes.ready())));
    }
    parts.addAll(after);
    Future<Void> deployed = Future.succeededFuture();
    for (Part part : parts) {
      deployed =
          deployed.compose(
              previous ->
                  vertx
                      .deployVerticle(part.verticle())
                      .map(
                          id -> {
                            deployments.add(id);
                            part.onDeployed().run();
                            return null;
                          }));
    }
    return deployed.recover(
        failure -> undeploy().transform(ignored -> Future.failedFuture(failure)));
  }

  /** Begins the first round of checks of what {@link #deploy} deployed. */
  public void beginProbing() {
    firstRound.tryComplete();
  }

  /** Undeploys everything, the last deployed first: no result goes to a status that is gone. */
  public Future<Void> undeploy() {
    List<Future<Void>> undeployed = new ArrayList<>();
    for (int i = deployments.size() - 1; i >= 0; i--) {
      undeployed.add(vertx.undeploy(deployments.get(i)));
    }
    deployments.clear();
    return Future.join(undeployed).mapEmpty();
  }
}
