package io.extrophi.orchestrator.config.source;

import io.extrophi.orchestrator.config.ConfigKeys;
import io.extrophi.orchestrator.config.OrchestratorConfig;
import io.extrophi.orchestrator.config.RuntimeSettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Where configuration comes from. Environment and system properties are plain maps, so tests can
 * inject them and check precedence without touching the real process environment.
 *
 * @param configFileCandidates config files tried in order when no explicit file is named; the first
 *     that exists is read and none is required
 * @param dotEnvPath the {@code .env} file, read if it exists; {@code null} skips it
 * @param environment environment variables
 * @param systemProperties system properties ({@code -DKEY=value})
 * @param runtimeDefaults the lowest layer of {@link RuntimeSettings}, under the config file and
 *     everything else: {@link RuntimeSettings#defaults()} for the real process, {@link
 *     RuntimeSettings#inMemory()} (no services file, no data directory) for {@link #none()}
 */
public record ConfigSources(
    List<String> configFileCandidates,
    String dotEnvPath,
    Map<String, String> environment,
    Map<String, String> systemProperties,
    RuntimeSettings runtimeDefaults) {

  /** Tried in order: YAML is the documented format, JSON the fallback. */
  public static final List<String> DEFAULT_CONFIG_FILES =
      List.of("conf/config.yaml", "conf/config.json");

  public static final String DEFAULT_DOT_ENV = ".env";

  public ConfigSources {
    configFileCandidates = List.copyOf(configFileCandidates);
    environment = Map.copyOf(environment);
    systemProperties = Map.copyOf(systemProperties);
    runtimeDefaults = runtimeDefaults == null ? RuntimeSettings.defaults() : runtimeDefaults;
  }

  /**
   * The real process: default files relative to the working directory, real env and properties, and
   * the standard runtime defaults, so {@code conf/services.yaml} is read when it exists and the
   * state is kept in {@code data/}.
   */
  public static ConfigSources fromProcess() {
    return new ConfigSources(
        DEFAULT_CONFIG_FILES,
        DEFAULT_DOT_ENV,
        System.getenv(),
        snapshot(System.getProperties()),
        RuntimeSettings.defaults());
  }

  /**
   * Nothing on disk: no config file, no {@code .env}, an empty environment, and runtime defaults
   * without files ({@link RuntimeSettings#inMemory()}), so loading neither reads a services file
   * nor configures a data directory. Tests and embedders build on this; a {@code SERVICES_FILE} or
   * {@code DATA_DIR} in {@link #withEnvironment} (or any higher layer) still turns them on.
   */
  public static ConfigSources none() {
    return new ConfigSources(List.of(), null, Map.of(), Map.of(), RuntimeSettings.inMemory());
  }

  public ConfigSources withConfigFileCandidates(List<String> candidates) {
    return new ConfigSources(
        candidates, dotEnvPath, environment, systemProperties, runtimeDefaults);
  }

  public ConfigSources withDotEnvPath(String path) {
    return new ConfigSources(
        configFileCandidates, path, environment, systemProperties, runtimeDefaults);
  }

  public ConfigSources withEnvironment(Map<String, String> env) {
    return new ConfigSources(
        configFileCandidates, dotEnvPath, env, systemProperties, runtimeDefaults);
  }

  public ConfigSources withSystemProperties(Map<String, String> properties) {
    return new ConfigSources(
        configFileCandidates, dotEnvPath, environment, properties, runtimeDefaults);
  }

  public ConfigSources withRuntimeDefaults(RuntimeSettings defaults) {
    return new ConfigSources(
        configFileCandidates, dotEnvPath, environment, systemProperties, defaults);
  }

  /** The lowest layer of every setting: the built-in defaults with {@link #runtimeDefaults()}. */
  OrchestratorConfig defaults() {
    return OrchestratorConfig.builder().runtime(runtimeDefaults).build();
  }

  /**
   * The config file named by {@value ConfigKeys#CONFIG_FILE}, system property first like every
   * other key; unlike the candidates it must exist.
   */
  public Optional<ExplicitFile> explicitConfigFile() {
    String fromProperty = systemProperties.get(ConfigKeys.CONFIG_FILE);
    if (fromProperty != null && !fromProperty.isBlank()) {
      return Optional.of(new ExplicitFile(fromProperty.strip(), "system property"));
    }
    String fromEnv = environment.get(ConfigKeys.CONFIG_FILE);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return Optional.of(new ExplicitFile(fromEnv.strip(), "environment"));
    }
    return Optional.empty();
  }

  /**
   * A config file chosen by the operator.
   *
   * @param path the file path
   * @param origin {@code environment} or {@code system property}, for error messages
   */
  public record ExplicitFile(String path, String origin) {}

  // Properties is a live, mutable Hashtable of Objects; copy the string entries once.
  private static Map<String, String> snapshot(Properties properties) {
    Map<String, String> copy = new LinkedHashMap<>();
    properties.stringPropertyNames().forEach(name -> copy.put(name, properties.getProperty(name)));
    return copy;
  }
}
