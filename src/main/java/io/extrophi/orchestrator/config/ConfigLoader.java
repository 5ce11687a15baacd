package io.extrophi.orchestrator.config;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.file.FileSystem;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads, merges and validates the orchestrator configuration without blocking the event loop.
 *
 * <p>Layers, lowest precedence first: built-in defaults, the config file ({@code conf/config.yaml}
 * or {@code conf/config.json}, or the file named by {@value ConfigKeys#CONFIG_FILE}), {@code .env},
 * environment variables, system properties. The services come from the file's {@code services} list
 * (else {@link OrchestratorConfig#DEFAULT_SERVICES}); {@code <NAME>_URL} from any layer overrides
 * the URL of the service with that name.
 */
public final class ConfigLoader {

  private static final Logger LOG = LoggerFactory.getLogger(ConfigLoader.class);

  // '$' cannot start a .env key, so this cannot collide with a real setting from that file.
  private static final String DOT_ENV_KEYS_FIELD = "$dotenv-keys";

  private ConfigLoader() {}

  /**
   * Reads every source once and builds the configuration.
   *
   * @return the validated configuration, or a failure with an {@link InvalidConfigException} whose
   *     one-line message names the key, value, source and rule
   */
  public static Future<OrchestratorConfig> load(Vertx vertx, ConfigSources sources) {
    return resolveConfigFile(vertx.fileSystem(), sources)
        .compose(
            configFile ->
                retrieve(vertx, sources, configFile.orElse(null))
                    .map(settings -> build(settings, sources, configFile.orElse(null))));
  }

  private static Future<Optional<String>> resolveConfigFile(
      FileSystem fileSystem, ConfigSources sources) {
    Optional<ConfigSources.ExplicitFile> explicit = sources.explicitConfigFile();
    if (explicit.isPresent()) {
      ConfigSources.ExplicitFile file = explicit.get();
      if (format(file.path()) == null) {
        return Future.failedFuture(
            new InvalidConfigException(
                ConfigKeys.CONFIG_FILE,
                file.path(),
                "must name a .yaml, .yml or .json file",
                file.origin()));
      }
      return fileSystem
          .exists(file.path())
          .compose(
              exists ->
                  exists
                      ? Future.succeededFuture(Optional.of(file.path()))
                      : Future.failedFuture(
                          new InvalidConfigException(
                              ConfigKeys.CONFIG_FILE,
                              file.path(),
                              "must name an existing file",
                              file.origin())));
    }
    return firstExisting(fileSystem, sources.configFileCandidates(), 0);
  }

  private static Future<Optional<String>> firstExisting(
      FileSystem fileSystem, List<String> candidates, int index) {
    if (index >= candidates.size()) {
      return Future.succeededFuture(Optional.empty());
    }
    String candidate = candidates.get(index);
    return fileSystem
        .exists(candidate)
        .compose(
            exists ->
                exists
                    ? Future.succeededFuture(Optional.of(candidate))
                    : firstExisting(fileSystem, candidates, index + 1));
  }

  private static Future<JsonObject> retrieve(
      Vertx vertx, ConfigSources sources, String configFile) {
    List<ConfigStoreOptions> stores = new ArrayList<>();
    stores.add(json(DefaultSettings.of(OrchestratorConfig.defaults())));
    if (configFile != null) {
      // Not optional: the file is known to exist, so a parse error must surface, not vanish.
      stores.add(
          new ConfigStoreOptions()
              .setType("file")
              .setFormat(format(configFile))
              .setConfig(new JsonObject().put("path", configFile)));
    }
    if (sources.dotEnvPath() != null) {
      stores.add(
          new ConfigStoreOptions()
              .setType(DotEnvConfigStoreFactory.TYPE)
              .setConfig(
                  new JsonObject()
                      .put(DotEnvConfigStoreFactory.PATH, sources.dotEnvPath())
                      .put(DotEnvConfigStoreFactory.KEYS_FIELD, DOT_ENV_KEYS_FIELD)));
    }
    stores.add(json(new JsonObject(new HashMap<>(relevant(sources.environment())))));
    stores.add(json(new JsonObject(new HashMap<>(relevant(sources.systemProperties())))));

    ConfigRetriever retriever =
        ConfigRetriever.create(
            vertx,
            new ConfigRetrieverOptions()
                .setIncludeDefaultStores(false)
                .setScanPeriod(0)
                .setStores(stores));
    return retriever
        .getConfig()
        .eventually(retriever::close)
        .recover(cause -> Future.failedFuture(explain(cause, configFile)));
  }

  private static OrchestratorConfig build(
      JsonObject settings, ConfigSources sources, String configFile) {
    Object dotEnvKeys = settings.remove(DOT_ENV_KEYS_FIELD);
    ValueOrigins origins =
        new ValueOrigins(
            configFile,
            sources.dotEnvPath(),
            dotEnvKeys instanceof JsonArray keys ? stringSet(keys) : Set.of(),
            relevant(sources.environment()),
            relevant(sources.systemProperties()));
    UnknownKeyWarnings.report(settings, origins);
    OrchestratorConfig config = new ConfigValidator(origins::originOf).validate(settings);
    LOG.info(
        "configuration: defaults < {} < {} < environment < system properties",
        configFile == null ? "no config file" : configFile,
        dotEnvKeys instanceof JsonArray keys && !keys.isEmpty() ? sources.dotEnvPath() : "no .env");
    return config;
  }

  /**
   * Keeps only names this service could use. The process environment is full of unrelated variables
   * (PATH, java.version, ...) that must neither warn nor reach the settings. Service URL overrides
   * are kept by shape because the service list is not known before the file is read.
   */
  private static Map<String, String> relevant(Map<String, String> variables) {
    return variables.entrySet().stream()
        .filter(
            entry ->
                ConfigKeys.SCALAR_KEYS.contains(entry.getKey())
                    || ConfigKeys.looksLikeServiceUrlKey(entry.getKey()))
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
  }

  private static ConfigStoreOptions json(JsonObject content) {
    return new ConfigStoreOptions().setType("json").setConfig(content);
  }

  private static String format(String path) {
    String lower = path.toLowerCase(Locale.ROOT);
    if (lower.endsWith(".yaml") || lower.endsWith(".yml")) {
      return "yaml";
    }
    return lower.endsWith(".json") ? "json" : null;
  }

  // Only the config file store can fail with anything else: the dotenv store reports its own
  // errors and the json stores hold in-memory data.
  private static Throwable explain(Throwable cause, String configFile) {
    if (cause instanceof InvalidConfigException || configFile == null) {
      return cause;
    }
    String detail = cause.getMessage();
    if (cause.getCause() != null && cause.getCause().getMessage() != null) {
      detail = detail + ": " + cause.getCause().getMessage();
    }
    // Parser messages span several lines (with a caret diagram); the launcher prints one line.
    String oneLine =
        detail == null ? cause.getClass().getSimpleName() : detail.replaceAll("\\s+", " ").strip();
    return InvalidConfigException.unreadableFile(
        configFile,
        "cannot be parsed as " + format(configFile).toUpperCase(Locale.ROOT) + ": " + oneLine,
        cause);
  }

  private static Set<String> stringSet(JsonArray values) {
    Set<String> set = new HashSet<>();
    values.forEach(value -> set.add(String.valueOf(value)));
    return set;
  }
}
