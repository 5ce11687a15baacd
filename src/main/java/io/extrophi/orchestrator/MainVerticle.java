package io.extrophi.orchestrator;

import io.extrophi.orchestrator.alert.AlertStats;
import io.extrophi.orchestrator.cluster.ClusterNode;
import io.extrophi.orchestrator.config.CheckLog;
import io.extrophi.orchestrator.config.OrchestratorConfig;
import io.extrophi.orchestrator.config.source.ConfigLoader;
import io.extrophi.orchestrator.config.source.ConfigSources;
import io.extrophi.orchestrator.deploy.OrchestratorDeployment;
import io.extrophi.orchestrator.http.HttpApiVerticle;
import io.extrophi.orchestrator.metrics.AlertMeters;
import io.extrophi.orchestrator.metrics.MetricsVerticle;
import io.extrophi.orchestrator.metrics.PrometheusMetrics;
import io.extrophi.orchestrator.reload.ConfigReloadVerticle;
import io.extrophi.orchestrator.reload.HangupSignal;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process's main verticle: loads and validates the configuration, then has {@link
 * OrchestratorDeployment} (the composition root) deploy the metrics, the monitoring, the reloader
 * and the HTTP API. Everything it deploys is a child deployment, so undeploying it (or closing
 * Vert.x on SIGTERM) stops the timer, the client and the server.
 *
 * <p>An invalid configuration fails the deployment before any port is bound.
 */
public final class MainVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(MainVerticle.class);

  private final ConfigSources sources;
  private final boolean demo;
  private final boolean listenForHangup;
  private final ClusterNode cluster;
  private final PrometheusMeterRegistry meters;
  private PrometheusMetrics ownMetrics;
  private HttpApiVerticle api;

  public MainVerticle() {
    this(ConfigSources.fromProcess(), false, false);
  }

  /** A single process; see {@link #MainVerticle(ConfigSources, boolean, boolean, ClusterNode)}. */
  public MainVerticle(ConfigSources sources, boolean demo, boolean listenForHangup) {
    this(sources, demo, listenForHangup, null);
  }

  /**
   * @param sources where the configuration is read from
   * @param demo whether to start the sample services and monitor them (see {@link DemoMode})
   * @param listenForHangup whether SIGHUP reloads the configuration (for the one process-wide
   *     instance only: a signal handler is global)
   * @param cluster this node's cluster when Vert.x runs clustered, {@code null} otherwise
   */
  public MainVerticle(
      ConfigSources sources, boolean demo, boolean listenForHangup, ClusterNode cluster) {
    this(sources, demo, listenForHangup, cluster, null);
  }

  /**
   * @param meters the registry of {@code GET /metrics}, the one Vert.x records its own metrics in
   *     (see {@link PrometheusMetrics#withVertxMetrics}); {@code null} for a registry of this
   *     verticle's own, with the orchestrator's and the JVM's meters only
   */
  public MainVerticle(
      ConfigSources sources,
      boolean demo,
      boolean listenForHangup,
      ClusterNode cluster,
      PrometheusMeterRegistry meters) {
    this.sources = sources;
    this.demo = demo;
    this.listenForHangup = listenForHangup;
    this.cluster = cluster;
    this.meters = meters;
  }

  @Override
  public Future<?> start() {
    if (demo) {
      LOG.info(
          "demo mode: sample services on {} replace the configured ones; the configuration below"
              + " is read for its other settings",
          DemoMode.HOST);
    }
    return ConfigLoader.load(vertx, sources)
        .map(this::adjust)
        .onSuccess(this::describeDemo)
        .compose(config -> startDemoServices().map(config))
        .compose(this::startMonitoring);
  }

  private void describeDemo(OrchestratorConfig config) {
    if (demo) {
      LOG.info(
          "demo mode: monitoring writer {} (healthy), research {} (fails 2 requests in 5) and"
              + " backend {} (nothing listens) every {} s",
          config.services().get(0).url(),
          config.services().get(1).url(),
          config.services().get(2).url(),
          DemoMode.INTERVAL.toSeconds());
    }
  }

  /**
   * Where a browser on this machine finds the status page: the bound port (the configured one may
   * be 0), and {@code localhost} for a wildcard address, which a browser cannot open.
   */
  private String statusPageUrl(OrchestratorConfig config) {
    String host = config.httpHost();
    if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
      host = "localhost";
    } else if (host.contains(":") && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    return (config.runtime().servesTls() ? "https" : "http")
        + "://"
        + host
        + ":"
        + httpPort()
        + "/ui/";
  }

  private OrchestratorConfig adjust(OrchestratorConfig loaded) {
    return demo ? DemoMode.apply(loaded) : loaded;
  }

  @Override
  public Future<?> stop() {
    // Children (timer, client, server) are undeployed after this returns.
    LOG.info("orchestrator stopping");
    if (ownMetrics != null) {
      ownMetrics.close();
    }
    return Future.succeededFuture();
  }

  /** The port the HTTP API listens on, once started. */
  public int httpPort() {
    return api == null ? -1 : api.actualPort();
  }

  private Future<?> startDemoServices() {
    return demo ? vertx.deployVerticle(DemoMode.services()) : Future.succeededFuture();
  }

  private Future<?> startMonitoring(OrchestratorConfig config) {
    CheckLog.started(config.services());
    PrometheusMeterRegistry registry = meters;
    if (registry == null) {
      ownMetrics = PrometheusMetrics.create();
      registry = ownMetrics.registry();
    }
    api = new HttpApiVerticle(config, registry);
    MetricsVerticle metricsVerticle = new MetricsVerticle(config, registry);
    ConfigReloadVerticle reloader = new ConfigReloadVerticle(sources, this::adjust, config);
    AlertStats alertStats = new AlertStats();
    AlertMeters.bind(alertStats, registry);
    OrchestratorDeployment deployment =
        new OrchestratorDeployment(vertx, config, cluster, alertStats);
    return deployment
        .deploy(
            List.of(OrchestratorDeployment.Part.of(metricsVerticle)),
            List.of(
                new OrchestratorDeployment.Part(reloader, () -> listenForHangup(reloader)),
                OrchestratorDeployment.Part.of(api)))
        .onSuccess(
            serving -> {
              LOG.info("status page: {}", statusPageUrl(config));
              deployment.beginProbing();
            });
  }

  private void listenForHangup(ConfigReloadVerticle reloader) {
    if (listenForHangup) {
      HangupSignal.reloadOnHangup(reloader, vertx.getOrCreateContext());
    }
  }
}
