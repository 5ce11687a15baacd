package io.extrophi.orchestrator.config.source;

import io.extrophi.orchestrator.config.ConfigKeys;
import io.extrophi.orchestrator.config.ConfigValues;
import io.extrophi.orchestrator.config.InvalidConfigException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keys in the config file or {@code .env} that nothing reads are usually typos, and a typo that is
 * ignored silently leaves a setting at its default: such a key stops start-up (or rejects a reload)
 * naming the file, the key, the value and the nearest known key. The process environment and system
 * properties are full of unrelated names and are not checked.
 *
 * <p>{@code <NAME>_URL} keys are known keys; one for which no service has that name only draws a
 * warning, since it is typically left over after the fleet changed.
 */
final class UnknownKeys {

  private static final Logger LOG = LoggerFactory.getLogger(UnknownKeys.class);

  private UnknownKeys() {}

  /**
   * Rejects the first unknown key and logs one WARN line per unused URL key.
   *
   * @return the unused URL keys that were reported, in settings order
   * @throws InvalidConfigException for a key that is not a setting
   */
  static List<String> check(JsonObject settings, ValueOrigins origins) {
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
      if (!ConfigKeys.looksLikeServiceUrlKey(key)) {
        String suggestion = nearestKnownKey(key);
        throw new ConfigValues(settings, origins::locate)
            .invalid(
                key,
                settings.getValue(key),
                "is not a setting"
                    + (suggestion == null ? "" : " (did you mean " + suggestion + "?)")
                    + "; the README lists every key");
      }
      reported.add(key);
      LOG.warn("ignoring {} in {}: no configured service has this URL key", key, file);
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

  /** The known key within two edits of {@code key}, ignoring case, if any. */
  private static String nearestKnownKey(String key) {
    java.util.Map<String, String> byLowerCase = new java.util.HashMap<>();
    ConfigKeys.KNOWN_KEYS.forEach(
        known -> byLowerCase.put(known.toLowerCase(java.util.Locale.ROOT), known));
    String nearest = ConfigValues.closest(key, List.copyOf(byLowerCase.keySet()));
    return nearest == null ? null : byLowerCase.get(nearest);
  }
}
