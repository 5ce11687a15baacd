package io.extrophi.orchestrator;

import io.extrophi.orchestrator.cluster.ClusterNode;
import io.extrophi.orchestrator.cluster.ClusterSettings;
import io.extrophi.orchestrator.cluster.HazelcastMembership;
import io.extrophi.orchestrator.cluster.HazelcastSetup;
import io.extrophi.orchestrator.config.InvalidConfigException;
import io.extrophi.orchestrator.config.source.ConfigSources;
import io.extrophi.orchestrator.config.source.DotEnvParser;
import io.extrophi.orchestrator.http.ListenFailure;
import io.extrophi.orchestrator.metrics.PrometheusMetrics;
import io.extrophi.orchestrator.state.DataDirectoryLockedException;
import io.extrophi.orchestrator.state.StateUnreadableException;
import io.vertx.core.Deployable;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.launcher.application.HookContext;
import io.vertx.launcher.application.VertxApplication;
import io.vertx.launcher.application.VertxApplicationHooks;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.LoggerFactory;

/**
 * The Vert.x launcher as the orchestrator uses it, started by {@link Main}: the launcher parses its
 * usual options and closes Vert.x on SIGTERM (undeploying every verticle); this class adds {@code
 * --demo}, builds the Hazelcast cluster manager of cluster mode ({@code --cluster} or {@code
 * CLUSTER_ENABLED=true}, see {@link ClusterSettings}), and turns start-up failures that are the
 * operator's to fix (bad configuration, port in use, data directory in use, no cluster) into one
 * line on stderr instead of a stack trace.
 */
final class OrchestratorApplication extends VertxApplication implements VertxApplicationHooks {

  /** The launcher's own spellings of its cluster option. */
  private static final Set<String> CLUSTER_FLAGS = Set.of("-c", "-cluster", "--cluster");

  /** How often Vert.x looks for a blocked event loop; see {@link #checkBlockedThreadsLessOften}. */
  static final long BLOCKED_THREAD_CHECK_INTERVAL_MS = 5_000;

  private final boolean demo;
  private final ClusterSettings cluster;
  private HazelcastClusterManager clusterManager;

  /** Lives as long as the process: Vert.x's own metrics are recorded in it from the start. */
  private final PrometheusMetrics metrics = PrometheusMetrics.create();

  private OrchestratorApplication(String[] launcherArgs, boolean demo, ClusterSettings cluster) {
    super(launcherArgs);
    this.demo = demo;
    this.cluster = cluster;
  }

  /**
   * Launches the orchestrator with the command line of {@link Main}, already checked there.
   *
   * @param args the arguments, {@code --demo} included
   */
  static void launch(String[] args) {
    boolean demo = Arrays.asList(args).contains(Main.DEMO_FLAG);
    List<String> launcherArgs = launcherArgs(args);
    ClusterSettings cluster;
    try {
      cluster = ClusterSettings.from(System.getenv(), dotEnv());
    } catch (InvalidConfigException invalid) {
      exitWith(Main.EXIT_INVALID_CONFIG, invalid.getMessage());
      return;
    }
    boolean clustered =
        cluster.enabled() || launcherArgs.stream().anyMatch(CLUSTER_FLAGS::contains);
    if (clustered && launcherArgs.stream().noneMatch(CLUSTER_FLAGS::contains)) {
      launcherArgs.add("--cluster");
    }
    new OrchestratorApplication(
            launcherArgs.toArray(String[]::new), demo, clustered ? cluster : null)
        .launch();
  }

  /** The arguments meant for the Vert.x launcher: all but ours. */
  static List<String> launcherArgs(String[] args) {
    List<String> launcherArgs = new ArrayList<>();
    Arrays.stream(args).filter(arg -> !Main.DEMO_FLAG.equals(arg)).forEach(launcherArgs::add);
    return launcherArgs;
  }

  /** The {@code .env} entries, for the cluster settings (the configuration reads it again). */
  private static Map<String, String> dotEnv() {
    Path path = Path.of(ConfigSources.DEFAULT_DOT_ENV);
    if (!Files.isRegularFile(path)) {
      return Map.of();
    }
    try {
      return DotEnvParser.parse(Files.readString(path), ConfigSources.DEFAULT_DOT_ENV);
    } catch (IOException unreadable) {
      return Map.of(); // reported by the configuration loader, which reads it too
    }
  }

  /**
   * The main verticle inside {@link PatientStart}, so that a slow start (a large state to restore
   * or copy) outlasts the launcher's fixed limit on deploying it; a late failure ends the process
   * as an early one does.
   */
  @Override
  public Supplier<? extends Deployable> verticleSupplier() {
    return () ->
        new PatientStart(
            PatientStart.PATIENCE,
            this::mainVerticle,
            OrchestratorApplication::logStarted,
            OrchestratorApplication::failedToStartLate);
  }

  private MainVerticle mainVerticle() {
    return new MainVerticle(
        ConfigSources.fromProcess(),
        demo,
        true,
        clusterManager == null
            ? null
            : new ClusterNode(new HazelcastMembership(clusterManager), cluster.quorum()),
        metrics.registry());
  }

  /**
   * In cluster mode: Vert.x with the Hazelcast cluster manager of {@link HazelcastSetup}, and the
   * event bus between nodes on {@code CLUSTER_HOST} and {@code CLUSTER_EVENTBUS_PORT} unless the
   * launcher's own options set them.
   */
  @Override
  public VertxBuilder createVertxBuilder(VertxOptions options) {
    if (cluster == null) {
      return metrics.withVertxMetrics(options);
    }
    EventBusOptions eventBus = options.getEventBusOptions();
    if (eventBus.getHost() == null && cluster.host() != null) {
      eventBus.setHost(cluster.host());
    }
    if (eventBus.getPort() == 0) {
      eventBus.setPort(cluster.eventBusPort());
    }
    try {
      clusterManager = HazelcastSetup.clusterManager(cluster, HazelcastSetup.ORCHESTRATOR_ROLE);
    } catch (InvalidConfigException invalid) {
      exitWith(Main.EXIT_INVALID_CONFIG, invalid.getMessage());
    }
    return metrics.withVertxMetrics(options).withClusterManager(clusterManager);
  }

  @Override
  public void afterFailureToStartVertx(HookContext context, Throwable failure) {
    if (cluster != null) {
      exitWith(
          Main.EXIT_CLUSTER_UNAVAILABLE,
          "cannot start in cluster mode (cluster " + cluster.name() + "): " + rootMessage(failure));
    }
  }

  private static String rootMessage(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }

  /**
   * The main verticle has started: from here a SIGTERM is an ordinary stop (one that comes while
   * the deployment is still completing races Vert.x's own bookkeeping and logs an error).
   */
  private static void logStarted() {
    LoggerFactory.getLogger(OrchestratorApplication.class)
        .info("started in {} ms", ManagementFactory.getRuntimeMXBean().getUptime());
  }

  /**
   * Prefers Netty's native epoll transport (on the class path for Linux): a probe costs a few
   * event-loop wake-ups, and with the JDK selector each of them costs more CPU than the probe's own
   * Java code. Where it cannot load, Vert.x uses the JDK selector as before. Also looks for blocked
   * threads less often (below).
   */
  @Override
  public void beforeStartingVertx(HookContext context) {
    context.vertxOptions().setPreferNativeTransport(true);
    checkBlockedThreadsLessOften(context.vertxOptions());
  }

  /**
   * Looks for a blocked event loop every {@value #BLOCKED_THREAD_CHECK_INTERVAL_MS} ms instead of
   * Vert.x's every second: that check is one of the few things that wake an idle process, and a
   * block that matters (seconds) is still reported, at most that much later. An interval set with
   * {@code -Dvertx.options.blockedThreadCheckInterval} is kept.
   */
  static void checkBlockedThreadsLessOften(VertxOptions options) {
    if (options.getBlockedThreadCheckInterval()
        == VertxOptions.DEFAULT_BLOCKED_THREAD_CHECK_INTERVAL) {
      options.setBlockedThreadCheckInterval(BLOCKED_THREAD_CHECK_INTERVAL_MS);
    }
  }

  @Override
  public void afterFailureToDeployVerticle(HookContext context, Throwable failure) {
    exitIfTheOperatorsToFix(context.vertx(), failure);
  }

  /**
   * The main verticle failed after {@link PatientStart} stopped keeping the launcher waiting: ends
   * the process as the launcher would have, with the exit status of the failure.
   */
  private static void failedToStartLate(Vertx vertx, Throwable failure) {
    // Not on the event loop that heard of it: System.exit runs the launcher's shutdown hook, which
    // waits for Vert.x to close, and closing needs that event loop.
    new Thread(
            () -> {
              exitIfTheOperatorsToFix(vertx, failure);
              LoggerFactory.getLogger(OrchestratorApplication.class)
                  .error("failed to start", failure);
              exitWith(Main.EXIT_DEPLOYMENT_FAILED, "failed to start: " + rootMessage(failure));
            },
            "orchestrator-failed-start")
        .start();
  }

  /** Closes Vert.x; ends the process with a one-line message if the failure is the operator's. */
  private static void exitIfTheOperatorsToFix(Vertx vertx, Throwable failure) {
    vertx.close();
    if (failure instanceof InvalidConfigException) {
      exitWith(Main.EXIT_INVALID_CONFIG, failure.getMessage());
    }
    if (failure instanceof ListenFailure) {
      exitWith(Main.EXIT_PORT_UNAVAILABLE, failure.getMessage());
    }
    if (failure instanceof StateUnreadableException) {
      exitWith(Main.EXIT_STATE_UNREADABLE, failure.getMessage());
    }
    if (failure instanceof DataDirectoryLockedException) {
      exitWith(Main.EXIT_DATA_DIR_LOCKED, failure.getMessage());
    }
  }

  static void exitWith(int status, String line) {
    System.err.println("orchestrator: " + line);
    System.exit(status);
  }
}
