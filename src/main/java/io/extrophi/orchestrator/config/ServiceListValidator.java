package io.extrophi.orchestrator.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns the raw {@code services} list and any {@code <NAME>_URL} overrides into validated service
 * definitions.
 */
final class ServiceListValidator {

  static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]*");
  static final String LIST_RULE = "must be a non-empty list of {name, url} objects";

  private final ValueRules rules;

  ServiceListValidator(ValueRules rules) {
    this.rules = rules;
  }

  List<ServiceDefinition> validate(JsonObject settings) {
    Object raw = settings.getValue(ConfigKeys.SERVICES);
    if (!(raw instanceof JsonArray entries) || entries.isEmpty()) {
      throw rules.invalid(ConfigKeys.SERVICES, raw, LIST_RULE);
    }
    List<ServiceDefinition> services = new ArrayList<>();
    // Names differing only in '-' versus '_' share one override key, so they must be unique too.
    Map<String, Integer> indexByUrlKey = new HashMap<>();
    for (int index = 0; index < entries.size(); index++) {
      String prefix = ConfigKeys.SERVICES + "[" + index + "]";
      if (!(entries.getValue(index) instanceof JsonObject entry)) {
        throw rules.invalid(prefix, entries.getValue(index), "must be an object with name and url");
      }
      String name = name(prefix + ".name", entry.getValue("name"));
      String urlKey = ConfigKeys.serviceUrlKey(name);
      Integer earlier = indexByUrlKey.putIfAbsent(urlKey, index);
      if (earlier != null) {
        throw rules.invalid(
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
      services.add(
          ServiceDefinition.of(
              name,
              url(settings, urlKey, prefix, entry),
              OrchestratorConfig.DEFAULT_CHECK_INTERVAL,
              OrchestratorConfig.DEFAULT_CHECK_TIMEOUT));
    }
    return services;
  }

  private String name(String key, Object raw) {
    if (!(raw instanceof String name) || !NAME.matcher(name).matches()) {
      throw rules.invalid(key, raw, "must match " + NAME.pattern());
    }
    return name;
  }

  // An override replaces the file's URL entirely, so the file's URL is then neither used nor
  // judged.
  private String url(JsonObject settings, String urlKey, String prefix, JsonObject entry) {
    if (settings.containsKey(urlKey)) {
      return rules.url(urlKey, settings.getValue(urlKey));
    }
    return rules.url(prefix + ".url", entry.getValue("url"));
  }
}
