package io.extrophi.orchestrator.config;

import io.extrophi.orchestrator.dependency.DependencyGraph;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The validated, immutable configuration of one orchestrator instance.
 *
 * <p>Instances are read from the merged settings by {@link #from(ConfigValues)}, which checks every
 * value (the loader in {@code config.source} merges defaults, files, {@code .env}, environment
 * variables and system properties first), or built directly by embedders and tests with {@link
 * #builder()}. The JSON form travels in deployment options, so every verticle sees the same
 * settings.
 *
 * @param services monitored services, in the order they are reported
 * @param checkInterval time between two scheduled rounds of checks
 * @param checkTimeout time after which a probe counts as failed
 * @param failureThreshold consecutive failures that open a closed circuit
 * @param successThreshold consecutive half-open successes that close the circuit
 * @param resetTimeout time an open circuit stays open before it becomes half-open
 * @param httpHost address the HTTP API binds to
 * @param httpPort port the HTTP API binds to ({@code 0} picks a free port)
 * @param runtime files, limits and persistence of the running orchestrator
 * @param alerts where and how health transitions are sent to webhooks
 */
public record OrchestratorConfig(
    List<ServiceDefinition> services,
    Duration checkInterval,
    Duration checkTimeout,
    int failureThreshold,
    int successThreshold,
    Duration resetTimeout,
    String httpHost,
    int httpPort,
    RuntimeSettings runtime,
    AlertSettings alerts) {

  public static final String DEFAULT_HTTP_HOST = "0.0.0.0";
  public static final int DEFAULT_HTTP_PORT = 8003;
  public static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofSeconds(30);
  public static final Duration DEFAULT_CHECK_TIMEOUT = Duration.ofSeconds(5);
  public static final int DEFAULT_FAILURE_THRESHOLD = 5;
  public static final int DEFAULT_SUCCESS_THRESHOLD = 2;
  public static final Duration DEFAULT_RESET_TIMEOUT = Duration.ofSeconds(60);

  /** What the {@code services} setting must be. */
  public static final String SERVICES_RULE = "must be a non-empty list of {name, url} objects";

  private static final Logger LOG = LoggerFactory.getLogger(OrchestratorConfig.class);

  /** The three services of the original design, in their documented order. */
  public static final List<ServiceDefinition> DEFAULT_SERVICES =
      List.of(
          defaultService("writer", "http://localhost:8000/health"),
          defaultService("research", "http://localhost:8001/health"),
          defaultService("backend", "http://localhost:8002/health"));

  public OrchestratorConfig {
    services = NamedServices.of(services);
    alerts = alerts == null ? AlertSettings.defaults() : alerts;
  }

  private static ServiceDefinition defaultService(String name, String url) {
    return ServiceDefinition.of(name, url, DEFAULT_CHECK_INTERVAL, DEFAULT_CHECK_TIMEOUT);
  }

  /** The built-in defaults, exactly as documented in the README. */
  public static OrchestratorConfig defaults() {
    return builder().build();
  }

  /** A builder starting from the {@linkplain #defaults() defaults}. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding every field of this configuration, to change some of them. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** The service with this name, if configured. */
  public Optional<ServiceDefinition> service(String name) {
    return ((NamedServices) services).named(name);
  }

  /**
   * Reads and checks the merged settings, failing on the first broken rule. Each part checks its
   * own keys: {@link AlertSettings#from}, {@link RuntimeSettings#from}, {@link
   * ServiceDefinition#from} for each entry of {@code services}, and this method the global timings,
   * circuit thresholds and HTTP address.
   *
   * @throws InvalidConfigException whose one-line message names the key, the value, where it came
   *     from and the rule it breaks
   */
  public static OrchestratorConfig from(ConfigValues values) {
    Duration interval = values.seconds(ConfigKeys.HEALTH_CHECK_INTERVAL);
    Duration timeout = values.seconds(ConfigKeys.HEALTH_CHECK_TIMEOUT);
    AlertSettings alerts = AlertSettings.from(values);
    RuntimeSettings runtime = RuntimeSettings.from(values);
    OrchestratorConfig config =
        new OrchestratorConfig(
            services(
                values,
                new ServiceDefinition.Defaults(
                    interval,
                    timeout,
                    alerts.format(),
                    runtime.connection(),
                    DocumentCheck.defaultFormat(values))),
            interval,
            timeout,
            values.wholeNumber(ConfigKeys.CIRCUIT_BREAKER_THRESHOLD, 1, Integer.MAX_VALUE),
            values.wholeNumber(ConfigKeys.CIRCUIT_BREAKER_SUCCESS_THRESHOLD, 1, Integer.MAX_VALUE),
            values.seconds(ConfigKeys.CIRCUIT_BREAKER_RESET_TIMEOUT),
            values.host(ConfigKeys.HTTP_HOST, values.raw(ConfigKeys.HTTP_HOST)),
            values.wholeNumber(ConfigKeys.HTTP_PORT, 0, 65_535),
            runtime,
            alerts);
    // Legal but suspicious: a probe may still be running when the next round starts.
    if (timeout.compareTo(interval) >= 0) {
      LOG.warn(
          "{} ({} ms) is not shorter than {} ({} ms); checks of a slow service may overlap",
          ConfigKeys.HEALTH_CHECK_TIMEOUT,
          timeout.toMillis(),
          ConfigKeys.HEALTH_CHECK_INTERVAL,
          interval.toMillis());
    }
    return config;
  }

  /**
   * The {@code services} list with any {@code <NAME>_URL} overrides applied: strict on purpose, a
   * list whose entries each name a unique service.
   */
  private static List<ServiceDefinition> services(
      ConfigValues values, ServiceDefinition.Defaults defaults) {
    Object raw = values.raw(ConfigKeys.SERVICES);
    if (!(raw instanceof JsonArray entries) || entries.isEmpty()) {
      throw values.invalid(ConfigKeys.SERVICES, raw, SERVICES_RULE);
    }
    List<ServiceDefinition> services = new ArrayList<>();
    List<String> overlapping = new ArrayList<>();
    // Names differing only in '-' versus '_' share one override key, so they must be unique too.
    Map<String, Integer> indexByUrlKey = new HashMap<>();
    for (int index = 0; index < entries.size(); index++) {
      String prefix = ConfigKeys.SERVICES + "[" + index + "]";
      if (!(entries.getValue(index) instanceof JsonObject entry)) {
        throw values.invalid(
            prefix, entries.getValue(index), "must be an object with name and url");
      }
      String name = ServiceDefinition.nameFrom(values, prefix, entry);
      String urlKey = ConfigKeys.serviceUrlKey(name);
      Integer earlier = indexByUrlKey.putIfAbsent(urlKey, index);
      if (earlier != null) {
        throw values.invalid(
            prefix + ".name",
            name,
            "must be unique, but "
                + ConfigKeys.SERVICES
                + "["
                + earlier
                + "] already uses it (or the same "
                + urlKey
                + " override)");
      }
      ServiceDefinition service = ServiceDefinition.from(values, prefix, entry, name, defaults);
      // The global pair is warned about once by from(ConfigValues); only a service's own timing
      // earns a warning here.
      boolean ownTiming = entry.containsKey("interval") || entry.containsKey("timeout");
      if (ownTiming && service.timeout().compareTo(service.interval()) >= 0) {
        overlapping.add(
            prefix
                + " ("
                + service.name()
                + "): timeout ("
                + service.timeout().toMillis()
                + " ms) is not shorter than interval ("
                + service.interval().toMillis()
                + " ms)");
      }
      services.add(service);
    }
    checkDependencies(values, services);
    warnAboutOverlaps(overlapping);
    return services;
  }

  /**
   * Every {@code depends_on} names a configured service, and no chain of them comes back to where
   * it started: a cycle would make every service on it the root cause of the others.
   */
  private static void checkDependencies(ConfigValues values, List<ServiceDefinition> services) {
    Map<String, Integer> indexByName = new HashMap<>();
    for (int index = 0; index < services.size(); index++) {
      indexByName.put(services.get(index).name(), index);
    }
    for (int index = 0; index < services.size(); index++) {
      List<String> dependsOn = services.get(index).dependsOn();
      for (int i = 0; i < dependsOn.size(); i++) {
        if (!indexByName.containsKey(dependsOn.get(i))) {
          String suggestion =
              ConfigValues.closest(dependsOn.get(i), List.copyOf(indexByName.keySet()));
          throw values.invalid(
              dependsOnKey(index, i),
              dependsOn.get(i),
              "is not a configured service"
                  + (suggestion == null ? "" : " (did you mean " + suggestion + "?)"));
        }
      }
    }
    dependenciesOf(services)
        .cycle()
        .ifPresent(
            cycle -> {
              // Point at the dependency that closes the cycle: the last edge of it.
              String from = cycle.get(cycle.size() - 2);
              String to = cycle.get(cycle.size() - 1);
              int index = indexByName.get(from);
              throw values.invalid(
                  dependsOnKey(index, services.get(index).dependsOn().indexOf(to)),
                  to,
                  "closes the depends_on cycle " + String.join(" -> ", cycle));
            });
  }

  private static String dependsOnKey(int index, int dependency) {
    return ConfigKeys.SERVICES + "[" + index + "].depends_on[" + dependency + "]";
  }

  /** Who depends on whom among {@code services}, from their {@code depends_on}. */
  public static DependencyGraph dependenciesOf(List<ServiceDefinition> services) {
    Map<String, List<String>> dependencies = new LinkedHashMap<>();
    services.forEach(service -> dependencies.put(service.name(), service.dependsOn()));
    return DependencyGraph.of(dependencies);
  }

  /** Who depends on whom, from the services' {@code depends_on}. */
  public DependencyGraph dependencies() {
    return dependenciesOf(services);
  }

  // One line, however large the fleet: ten thousand services sharing a setting must not mean
  // ten thousand warnings at every reload.
  private static void warnAboutOverlaps(List<String> overlapping) {
    if (overlapping.size() == 1) {
      LOG.warn("{}; checks may overlap", overlapping.get(0));
    } else if (overlapping.size() > 1) {
      LOG.warn(
          "{} services have a timeout not shorter than their interval; checks may overlap: {}{}",
          overlapping.size(),
          String.join("; ", overlapping.subList(0, Math.min(3, overlapping.size()))),
          overlapping.size() > 3 ? "; …" : "");
    }
  }

  /** Rebuilds a configuration from {@link #toJson()}; the input is trusted (already validated). */
  public static OrchestratorConfig fromJson(JsonObject json) {
    List<ServiceDefinition> services =
        json.getJsonArray("services").stream()
            .map(JsonObject.class::cast)
            .map(ServiceDefinition::fromJson)
            .toList();
    return new OrchestratorConfig(
        services,
        Duration.ofMillis(json.getLong("check_interval_ms")),
        Duration.ofMillis(json.getLong("check_timeout_ms")),
        json.getInteger("failure_threshold"),
        json.getInteger("success_threshold"),
        Duration.ofMillis(json.getLong("reset_timeout_ms")),
        json.getString("http_host"),
        json.getInteger("http_port"),
        RuntimeSettings.fromJson(json.getJsonObject("runtime")),
        AlertSettings.fromJson(json.getJsonObject("alerts")));
  }

  public JsonObject toJson() {
    JsonArray serviceArray = new JsonArray();
    services.forEach(service -> serviceArray.add(service.toJson()));
    return new JsonObject()
        .put("services", serviceArray)
        .put("check_interval_ms", checkInterval.toMillis())
        .put("check_timeout_ms", checkTimeout.toMillis())
        .put("failure_threshold", failureThreshold)
        .put("success_threshold", successThreshold)
        .put("reset_timeout_ms", resetTimeout.toMillis())
        .put("http_host", httpHost)
        .put("http_port", httpPort)
        .put("runtime", runtime.toJson())
        .put("alerts", alerts.toJson());
  }

  /** Builds an {@link OrchestratorConfig}; unset fields keep their defaults. */
  public static final class Builder {
    private List<ServiceDefinition> services = DEFAULT_SERVICES;
    private Duration checkInterval = DEFAULT_CHECK_INTERVAL;
    private Duration checkTimeout = DEFAULT_CHECK_TIMEOUT;
    private int failureThreshold = DEFAULT_FAILURE_THRESHOLD;
    private int successThreshold = DEFAULT_SUCCESS_THRESHOLD;
    private Duration resetTimeout = DEFAULT_RESET_TIMEOUT;
    private String httpHost = DEFAULT_HTTP_HOST;
    private int httpPort = DEFAULT_HTTP_PORT;
    private RuntimeSettings runtime = RuntimeSettings.defaults();
    private AlertSettings alerts = AlertSettings.defaults();

    private Builder() {}

    private Builder(OrchestratorConfig config) {
      services = config.services;
      checkInterval = config.checkInterval;
      checkTimeout = config.checkTimeout;
      failureThreshold = config.failureThreshold;
      successThreshold = config.successThreshold;
      resetTimeout = config.resetTimeout;
      httpHost = config.httpHost;
      httpPort = config.httpPort;
      runtime = config.runtime;
      alerts = config.alerts;
    }

    public Builder services(List<ServiceDefinition> services) {
      this.services = services;
      return this;
    }

    public Builder checkInterval(Duration checkInterval) {
      this.checkInterval = checkInterval;
      return this;
    }

    public Builder checkTimeout(Duration checkTimeout) {
      this.checkTimeout = checkTimeout;
      return this;
    }

    public Builder failureThreshold(int failureThreshold) {
      this.failureThreshold = failureThreshold;
      return this;
    }

    public Builder successThreshold(int successThreshold) {
      this.successThreshold = successThreshold;
      return this;
    }

    public Builder resetTimeout(Duration resetTimeout) {
      this.resetTimeout = resetTimeout;
      return this;
    }

    public Builder httpHost(String httpHost) {
      this.httpHost = httpHost;
      return this;
    }

    public Builder httpPort(int httpPort) {
      this.httpPort = httpPort;
      return this;
    }

    public Builder runtime(RuntimeSettings runtime) {
      this.runtime = runtime;
      return this;
    }

    public Builder alerts(AlertSettings alerts) {
      this.alerts = alerts;
      return this;
    }

    /** The address and port the HTTP API binds to ({@code 0} picks a free port). */
    public Builder http(String host, int port) {
      this.httpHost = host;
      this.httpPort = port;
      return this;
    }

    public OrchestratorConfig build() {
      return new OrchestratorConfig(
          services,
          checkInterval,
          checkTimeout,
          failureThreshold,
          successThreshold,
          resetTimeout,
          httpHost,
          httpPort,
          runtime,
          alerts);
    }
  }
}
