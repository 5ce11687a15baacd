package io.extrophi.orchestrator.testing;

import io.extrophi.orchestrator.MainVerticle;
import io.extrophi.orchestrator.cluster.ClusterNode;
import io.extrophi.orchestrator.config.RuntimeSettings;
import io.extrophi.orchestrator.config.source.ConfigSources;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A whole orchestrator ({@link MainVerticle}) deployed in a test's Vert.x, its API on 127.0.0.1 and
 * a free port. Out of the box it checks once at start and then only when triggered (a 10-minute
 * interval), with a 2 s timeout; every setting a test gives wins over these.
 *
 * <pre>{@code
 * InProcessOrchestrator orchestrator =
 *     await(InProcessOrchestrator.on(vertx).monitoring(target.url()).set("TRIGGER_MIN_GAP", "0").start());
 * orchestrator.api().statusUntil(...);
 * }</pre>
 */
public final class InProcessOrchestrator {

  private final Vertx vertx;
  private final MainVerticle main;
  private final String deploymentId;
  private ApiClient api;

  private InProcessOrchestrator(Vertx vertx, MainVerticle main, String deploymentId) {
    this.vertx = vertx;
    this.main = main;
    this.deploymentId = deploymentId;
  }

  /** Settings for an orchestrator to deploy in {@code vertx}. */
  public static Builder on(Vertx vertx) {
    return new Builder(vertx);
  }

  public int port() {
    return main.httpPort();
  }

  /** {@code http://127.0.0.1:port}, without a trailing slash. */
  public String baseUrl() {
    return "http://127.0.0.1:" + port();
  }

  /**
   * The API as tests call it, every answer checked against the contract; closed by {@link #stop}.
   */
  public ApiClient api() {
    if (api == null) {
      api = new ApiClient(vertx, port());
    }
    return api;
  }

  /** Undeploys the orchestrator (its state written, if it keeps any). */
  public Future<Void> stop() {
    if (api != null) {
      api.close();
      api = null;
    }
    return vertx.undeploy(deploymentId);
  }

  /** What is set before {@link #start()}. */
  public static final class Builder {

    private final Vertx vertx;
    private final Map<String, String> environment = new LinkedHashMap<>();
    private List<String> configFiles = List.of();
    private PrometheusMeterRegistry meters;
    private ClusterNode cluster;
    private RuntimeSettings runtimeDefaults = RuntimeSettings.inMemory();

    private Builder(Vertx vertx) {
      this.vertx = vertx;
      environment.put("HTTP_HOST", "127.0.0.1");
      environment.put("HTTP_PORT", "0");
      environment.put("HEALTH_CHECK_INTERVAL", "600");
      environment.put("HEALTH_CHECK_TIMEOUT", "2");
    }

    /**
     * The default fleet's three services (writer, research, backend: the names of the API
     * document's examples), all checked at {@code url}.
     */
    public Builder monitoring(String url) {
      return monitoring(url, url, url);
    }

    /** The default fleet's three services, each at its own URL. */
    public Builder monitoring(String writer, String research, String backend) {
      environment.put("WRITER_URL", writer);
      environment.put("RESEARCH_URL", research);
      environment.put("BACKEND_URL", backend);
      return this;
    }

    /** One setting, as an environment variable. */
    public Builder set(String key, String value) {
      environment.put(key, value);
      return this;
    }

    /** Several settings, as environment variables; they win over those set before. */
    public Builder set(Map<String, String> settings) {
      environment.putAll(settings);
      return this;
    }

    /** A configuration file (YAML), read before the environment. */
    public Builder configFile(Path file) {
      configFiles = List.of(file.toString());
      return this;
    }

    /** The registry {@code GET /metrics} serves, when the test records Vert.x's metrics in it. */
    public Builder meters(PrometheusMeterRegistry registry) {
      this.meters = registry;
      return this;
    }

    /** A node of a cluster, in a clustered Vert.x. */
    public Builder cluster(ClusterNode node) {
      this.cluster = node;
      return this;
    }

    /** The defaults below every source, as the launcher's (for its services file and data). */
    public Builder runtimeDefaults(RuntimeSettings defaults) {
      this.runtimeDefaults = defaults;
      return this;
    }

    /**
     * The orchestrator with these settings, not deployed yet: for a test that watches its
     * deployment from the start.
     */
    public MainVerticle verticle() {
      return new MainVerticle(
          ConfigSources.none()
              .withRuntimeDefaults(runtimeDefaults)
              .withConfigFileCandidates(configFiles)
              .withEnvironment(Map.copyOf(environment)),
          false,
          false,
          cluster,
          meters);
    }

    /** Deploys the orchestrator; fails as its deployment does. */
    public Future<InProcessOrchestrator> start() {
      MainVerticle main = verticle();
      return vertx
          .deployVerticle(main)
          .map(deploymentId -> new InProcessOrchestrator(vertx, main, deploymentId));
    }
  }
}
