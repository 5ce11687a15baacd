package io.extrophi.orchestrator.config;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.extrophi.orchestrator.config.source.DefaultSettings;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** What the configuration tests share: settings as the loader hands them over, and the verdict. */
final class ConfigCases {

  static final String SOURCE = "test-source";

  private ConfigCases() {}

  /** The configuration these merged settings describe, as start-up and reloads read it. */
  static OrchestratorConfig validate(JsonObject settings) {
    return OrchestratorConfig.from(ConfigValues.labelled(settings, SOURCE));
  }

  /** Every key at its default, and {@code key} at {@code value}. */
  static JsonObject defaultsWith(String key, Object value) {
    return DefaultSettings.of(OrchestratorConfig.defaults()).put(key, value);
  }

  static JsonObject withServices(JsonObject settings, JsonObject... entries) {
    return settings.put(ConfigKeys.SERVICES, new JsonArray(List.of((Object[]) entries)));
  }

  /** A service entry with only what is required. */
  static JsonObject entry(String name) {
    return new JsonObject().put("name", name).put("url", "http://" + name + "/health");
  }

  /** Start-up stops with one line naming the key, its source and the rule broken. */
  static void assertRejected(JsonObject settings, String key, String ruleFragment) {
    assertThatThrownBy(() -> validate(settings))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageStartingWith("invalid configuration: " + key + "=")
        .hasMessageContaining("(from " + SOURCE + ")")
        .hasMessageContaining(ruleFragment)
        .extracting(error -> ((InvalidConfigException) error).key())
        .isEqualTo(key);
  }
}
