package io.extrophi.orchestrator.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warns about keys in the config file or {@code .env} that nothing reads, which are usually typos.
 * They do not fail the start: an extra line must not take monitoring down.
 */
final class UnknownKeyWarnings {

  private static final Logger LOG = LoggerFactory.getLogger(UnknownKeyWarnings.class);

  private UnknownKeyWarnings() {}

  /**
   * Logs one WARN line per unknown key naming its file.
   *
   * @return the unknown keys that were reported, in settings order
   */
  static List<String> report(JsonObject settings, ValueOrigins origins) {
    Set<String> serviceUrlKeys = serviceUrlKeys(settings.getValue(ConfigKeys.SERVICES));
    List<String> reported = new ArrayList<>();
    for (String key : settings.fieldNames()) {
      // WRITER_URL and friends are known keys, yet useless when no service has that name.
      boolean known =
          ConfigKeys.looksLikeServiceUrlKey(key)
              ? serviceUrlKeys.contains(key)
              : ConfigKeys.KNOWN_KEYS.contains(key);
      if (known) {
        continue;
      }
      String file = origins.fileOriginOf(key);
      if (file == null) {
        continue;
      }
      reported.add(key);
      if (ConfigKeys.looksLikeServiceUrlKey(key)) {
        LOG.warn("ignoring {} in {}: no configured service has this URL key", key, file);
      } else {
        LOG.warn("ignoring unknown configuration key {} in {}", key, file);
      }
    }
    return reported;
  }

  // Read leniently: the list is validated afterwards, and a broken entry is reported there.
  private static Set<String> serviceUrlKeys(Object services) {
    Set<String> keys = new HashSet<>();
    if (services instanceof JsonArray entries) {
      for (Object entry : entries) {
        if (entry instanceof JsonObject service
            && service.getValue("name") instanceof String name) {
          keys.add(ConfigKeys.serviceUrlKey(name));
        }
      }
    }
    return keys;
  }
}
