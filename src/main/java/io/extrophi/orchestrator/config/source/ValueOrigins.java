package io.extrophi.orchestrator.config.source;

import io.extrophi.orchestrator.config.ConfigKeys;
import io.extrophi.orchestrator.config.ConfigValues.Origin;
import java.util.Map;
import java.util.Set;

/**
 * Names the layer a merged setting came from, so errors and warnings can point at the right file
 * and line. The retriever's merge forgets origins; this re-derives them from the same precedence
 * order.
 *
 * @param configDocument the config file that was read, or {@code null}
 * @param dotEnvPath the {@code .env} that was read, or {@code null}
 * @param dotEnvKeys keys present in that {@code .env}
 * @param environment environment variables that were fed to the retriever
 * @param systemProperties system properties that were fed to the retriever
 * @param servicesDocument the services file whose list replaced {@code services}, or {@code null}
 */
record ValueOrigins(
    ConfigDocument configDocument,
    String dotEnvPath,
    Set<String> dotEnvKeys,
    Map<String, String> environment,
    Map<String, String> systemProperties,
    ConfigDocument servicesDocument) {

  static final String SYSTEM_PROPERTY = "system property";
  static final String ENVIRONMENT = "environment";

  ValueOrigins withServicesDocument(ConfigDocument document) {
    return new ValueOrigins(
        configDocument, dotEnvPath, dotEnvKeys, environment, systemProperties, document);
  }

  /** The config file that was read, or {@code null}. */
  String configFile() {
    return configDocument == null ? null : configDocument.path();
  }

  /**
   * The highest-precedence layer holding {@code key}; for a nested key such as {@code
   * services[1].name}, the layer of its top-level key, with the line of the nested key itself.
   */
  Origin locate(String key) {
    String topLevel = topLevel(key);
    if (systemProperties.containsKey(topLevel)) {
      return Origin.labelled(SYSTEM_PROPERTY);
    }
    if (environment.containsKey(topLevel)) {
      return Origin.labelled(ENVIRONMENT);
    }
    if (dotEnvKeys.contains(topLevel)) {
      return new Origin(dotEnvPath, dotEnvPath, null);
    }
    if (servicesDocument != null && topLevel.equals(ConfigKeys.SERVICES)) {
      return inFile(servicesDocument, key);
    }
    if (configDocument != null && configDocument.content().containsKey(topLevel)) {
      return inFile(configDocument, key);
    }
    return Origin.DEFAULTS;
  }

  /** The label of {@link #locate}: a file path, a layer name, or {@code null} for the defaults. */
  String originOf(String key) {
    return locate(key).source();
  }

  /** Whether {@code key} was set by no layer at all, so its built-in default applies. */
  boolean isDefault(String key) {
    return locate(key).equals(Origin.DEFAULTS);
  }

  /**
   * The file that supplied {@code key}, or {@code null} when it came only from the process
   * environment or system properties, which are full of unrelated names and not worth a warning.
   */
  String fileOriginOf(String key) {
    if (dotEnvKeys.contains(key)) {
      return dotEnvPath;
    }
    if (systemProperties.containsKey(key) || environment.containsKey(key)) {
      return null;
    }
    return configFile();
  }

  private static Origin inFile(ConfigDocument document, String key) {
    return new Origin(document.path(), document.path(), document.lineOf(key));
  }

  private static String topLevel(String key) {
    return key.split("[.\\[]", 2)[0];
  }
}
