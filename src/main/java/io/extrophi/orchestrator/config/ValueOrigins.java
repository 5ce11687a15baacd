package io.extrophi.orchestrator.config;

import java.util.Map;
import java.util.Set;

/**
 * Names the layer a merged setting came from, so errors and warnings can point at the right file.
 * The retriever's merge forgets origins; this re-derives them from the same precedence order.
 *
 * @param configFile the config file that was read, or {@code null}
 * @param dotEnvPath the {@code .env} that was read, or {@code null}
 * @param dotEnvKeys keys present in that {@code .env}
 * @param environment environment variables that were fed to the retriever
 * @param systemProperties system properties that were fed to the retriever
 */
record ValueOrigins(
    String configFile,
    String dotEnvPath,
    Set<String> dotEnvKeys,
    Map<String, String> environment,
    Map<String, String> systemProperties) {

  static final String SYSTEM_PROPERTY = "system property";
  static final String ENVIRONMENT = "environment";

  /**
   * The highest-precedence layer holding {@code key}; for a nested key such as {@code
   * services[1].name}, the layer of its top-level key. {@code null} means the built-in defaults.
   */
  String originOf(String key) {
    String topLevel = key.split("[.\\[]", 2)[0];
    if (systemProperties.containsKey(topLevel)) {
      return SYSTEM_PROPERTY;
    }
    if (environment.containsKey(topLevel)) {
      return ENVIRONMENT;
    }
    if (dotEnvKeys.contains(topLevel)) {
      return dotEnvPath;
    }
    // Built-in defaults are valid by construction, so anything else reaching a rule came from here.
    return configFile;
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
    return configFile;
  }
}
