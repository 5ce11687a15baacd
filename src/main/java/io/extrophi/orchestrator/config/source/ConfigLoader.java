package io.extrophi.orchestrator.config.source;

import io.extrophi.orchestrator.config.ConfigKeys;
import io.extrophi.orchestrator.config.ConfigValues;
import io.extrophi.orchestrator.config.InvalidConfigException;
import io.extrophi.orchestrator.config.OrchestratorConfig;
import io.extrophi.orchestrator.config.RuntimeSettings;
import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.file.FileSystem;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
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
 * <p>Layers, lowest precedence first: built-in defaults (with {@link
 * ConfigSources#runtimeDefaults()}), the config file ({@code conf/config.yaml} or {@code
 * conf/config.json}, or the file named by {@value ConfigKeys#CONFIG_FILE}), {@code .env},
 * environment variables, system properties.
 *
 * <p>The services come from the services file ({@value ConfigKeys#SERVICES_FILE}, {@code
 * conf/services.yaml} by default) when it exists, else from the config file's {@code services}
 * list, else from {@link OrchestratorConfig#DEFAULT_SERVICES}; {@code <NAME>_URL} from any layer
 * then overrides the URL of the service with that name. The default services file is optional; one
 * named explicitly must exist.
 *
 * <p>{@link #load} reads every source again on each call and has no side effect but logging, so a
 * reload can simply call it again (see {@link ServicesFileWatch} for noticing edits).
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
   *     one-line message names the key, value, source (file and line where known) and rule
   */
  public static Future<OrchestratorConfig> load(Vertx vertx, ConfigSources sources) {
    return load(vertx, sources, null);
  }

  /**
   * Like {@link #load(Vertx, ConfigSources)}, with the services file as already read by the reload
   * watch, so what is applied is exactly the content whose hash the watch saw settle, not what a
   * second read might find in the middle of the next edit.
   *
   * @param servicesFile the services file as read; used when it exists and is the configured one,
   *     otherwise the file is read here; {@code null} to read it here
   */
  public static Future<OrchestratorConfig> load(
      Vertx vertx, ConfigSources sources, ServicesFileContent servicesFile) {
    return resolveConfigFile(vertx.fileSystem(), sources)
        .compose(
            configFile ->
                configFile.isPresent()
                    ? ConfigDocument.read(vertx, configFile.get())
                    : Future.<ConfigDocument>succeededFuture(null))
        .compose(
            configDocument ->
                retrieve(vertx, sources, configDocument)
                    .compose(
                        settings ->
                            withServicesFile(
                                vertx, settings, sources, configDocument, servicesFile)));
  }

  private static Future<OrchestratorConfig> withServicesFile(
      Vertx vertx,
      JsonObject settings,
      ConfigSources sources,
      ConfigDocument configDocument,
      ServicesFileContent alreadyRead) {
    Object dotEnvKeys = settings.remove(DOT_ENV_KEYS_FIELD);
    ValueOrigins origins =
        new ValueOrigins(
            configDocument,
            sources.dotEnvPath(),
            dotEnvKeys instanceof JsonArray keys ? stringSet(keys) : Set.of(),
            relevant(sources.environment()),
            relevant(sources.systemProperties()),
            null);
    ConfigValues values = new ConfigValues(settings, origins::locate);
    // Called inside compose, so an InvalidConfigException thrown here fails the returned future.
    String servicesFile = RuntimeSettings.servicesFile(values);
    if (servicesFile == null) {
      return Future.succeededFuture(build(settings, sources, origins));
    }
    // The default file is a convenience; a file the operator named must be there.
    boolean required =
        !origins.isDefault(ConfigKeys.SERVICES_FILE) && !isDefaultServicesFile(servicesFile);
    if (alreadyRead != null && alreadyRead.exists() && servicesFile.equals(alreadyRead.path())) {
      return ConfigDocument.parse(vertx, servicesFile, alreadyRead.bytes())
          .compose(document -> buildWithServices(vertx, settings, sources, origins, document));
    }
    return vertx
        .fileSystem()
        .exists(servicesFile)
        .compose(
            exists -> {
              if (!exists) {
                return required
                    ? Future.failedFuture(
                        values.invalid(
                            ConfigKeys.SERVICES_FILE,
                            servicesFile,
                            "must name an existing file (or none to disable it)"))
                    : Future.succeededFuture(build(settings, sources, origins));
              }
              return ConfigDocument.read(vertx, servicesFile)
                  .compose(
                      document -> buildWithServices(vertx, settings, sources, origins, document));
            });
  }

  /**
   * Builds the configuration with the services of a services file, on a worker thread: turning
   * every entry into a checked definition takes seconds at 100,000 services (as long as restoring
   * their state), time the event loop must not be held for.
   */
  private static Future<OrchestratorConfig> buildWithServices(
      Vertx vertx,
      JsonObject settings,
      ConfigSources sources,
      ValueOrigins origins,
      ConfigDocument document) {
    return vertx.executeBlocking(
        () -> {
          settings.put(ConfigKeys.SERVICES, servicesList(document));
          return build(settings, sources, origins.withServicesDocument(document));
        },
        false);
  }

  private static boolean isDefaultServicesFile(String path) {
    try {
      return Path.of(path).normalize().equals(Path.of(RuntimeSettings.DEFAULT_SERVICES_FILE));
    } catch (InvalidPathException e) {
      return false;
    }
  }

  /**
   * The {@code services} value of a services file, which holds nothing else: any other top-level
   * key is an error (a misspelt {@code services} must not leave the fleet unchanged).
   */
  private static Object servicesList(ConfigDocument document) {
    JsonObject content = document.content();
    for (String key : content.fieldNames()) {
      if (!key.equals(ConfigKeys.SERVICES)) {
        throw new InvalidConfigException(
            key,
            ConfigValues.text(content.getValue(key)),
            "is not allowed in a services file, which holds only a services list",
            document.path(),
            document.path(),
            document.lineOf(key));
      }
    }
    if (!content.containsKey(ConfigKeys.SERVICES)) {
      throw new InvalidConfigException(
          ConfigKeys.SERVICES, null, OrchestratorConfig.SERVICES_RULE, document.path());
    }
    return content.getValue(ConfigKeys.SERVICES);
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
      Vertx vertx, ConfigSources sources, ConfigDocument configDocument) {
    List<ConfigStoreOptions> stores = new ArrayList<>();
    stores.add(json(DefaultSettings.of(sources.defaults())));
    if (configDocument != null) {
      // Already read and parsed here, with line numbers, so the retriever only merges it.
      stores.add(json(configDocument.content().copy()));
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
    return retriever.getConfig().eventually(retriever::close);
  }

  private static OrchestratorConfig build(
      JsonObject settings, ConfigSources sources, ValueOrigins origins) {
    UnknownKeys.check(settings, origins);
    OrchestratorConfig config =
        OrchestratorConfig.from(new ConfigValues(settings, origins::locate));
    ConfigDocument configDocument = origins.configDocument();
    ConfigDocument servicesDocument = origins.servicesDocument();
    if (servicesDocument != null
        && configDocument != null
        && configDocument.content().containsKey(ConfigKeys.SERVICES)) {
      LOG.warn(
          "ignoring the services list in {}: the services come from {}",
          configDocument.path(),
          servicesDocument.path());
    }
    LOG.info(
        "configuration: defaults < {} < {} < environment < system properties; {} services from {}",
        configDocument == null ? "no config file" : configDocument.path(),
        origins.dotEnvKeys().isEmpty() ? "no .env" : sources.dotEnvPath(),
        config.services().size(),
        servicesOrigin(origins));
    return config;
  }

  private static String servicesOrigin(ValueOrigins origins) {
    String origin = origins.originOf(ConfigKeys.SERVICES);
    return origin == null ? "the built-in defaults" : origin;
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

  private static Set<String> stringSet(JsonArray values) {
    Set<String> set = new HashSet<>();
    values.forEach(value -> set.add(String.valueOf(value)));
    return set;
  }
}
