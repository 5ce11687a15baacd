package io.extrophi.orchestrator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.extrophi.orchestrator.config.source.DefaultSettings;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

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

  /** The typed value the configuration holds for {@code key}, as the code that uses it reads it. */
  static Object setting(OrchestratorConfig config, String key) {
    RuntimeSettings runtime = config.runtime();
    AlertSettings alerts = config.alerts();
    return switch (key) {
      case ConfigKeys.HTTP_PORT -> config.httpPort();
      case ConfigKeys.HTTP_HOST -> config.httpHost();
      case ConfigKeys.EVENT_STREAM_MAX_CLIENTS -> runtime.eventStreams().maxClients();
      case ConfigKeys.HEALTH_CHECK_INTERVAL -> config.checkInterval();
      case ConfigKeys.HEALTH_CHECK_TIMEOUT -> config.checkTimeout();
      case ConfigKeys.CIRCUIT_BREAKER_RESET_TIMEOUT -> config.resetTimeout();
      case ConfigKeys.CIRCUIT_BREAKER_THRESHOLD -> config.failureThreshold();
      case ConfigKeys.CIRCUIT_BREAKER_SUCCESS_THRESHOLD -> config.successThreshold();
      case ConfigKeys.CONFIG_RELOAD_INTERVAL -> runtime.reloadCheckInterval();
      case ConfigKeys.STATE_FLUSH_INTERVAL -> runtime.stateFlushInterval();
      case ConfigKeys.MAX_BODY_BYTES -> runtime.maxBodyBytes();
      case ConfigKeys.MAX_IN_FLIGHT_PROBES -> runtime.maxInFlightProbes();
      case ConfigKeys.HISTORY_SIZE -> runtime.historySize();
      case ConfigKeys.SERVICES_FILE -> runtime.servicesFile();
      case ConfigKeys.DATA_DIR -> runtime.dataDir();
      case ConfigKeys.ALERT_WEBHOOK -> alerts.webhook();
      case ConfigKeys.ALERT_FORMAT -> alerts.format();
      case ConfigKeys.ALERT_QUEUE_SIZE -> alerts.queueSize();
      case ConfigKeys.ALERT_MAX_ATTEMPTS -> alerts.maxAttempts();
      case ConfigKeys.ALERT_RETRY_INITIAL -> alerts.retryInitial();
      case ConfigKeys.ALERT_RETRY_MAX -> alerts.retryMax();
      case ConfigKeys.ALERT_TIMEOUT -> alerts.attemptTimeout();
      default -> throw new IllegalArgumentException("no typed reading for " + key);
    };
  }

  /**
   * Every key at its default and {@code key} at {@code value} is accepted, read as {@code
   * expected}.
   */
  static void assertAccepted(String key, Object value, Object expected) {
    assertThat(setting(validate(defaultsWith(key, value)), key)).as(key).isEqualTo(expected);
  }

  /**
   * The verdict of a table row whose value must be refused, naming {@code rule} under {@code key}
   * (null: the row's key).
   */
  record Refusal(String key, String rule) {}

  static Refusal refused(String rule) {
    return new Refusal(null, rule);
  }

  /** Refused under another key than the row's, such as a field of a listed service. */
  static Refusal refusedAt(String key, String rule) {
    return new Refusal(key, rule);
  }

  /**
   * Every key at its default and {@code key} at {@code value} reads as {@code expected}, or is
   * refused when {@code expected} is a {@link Refusal}: the one check of the key tables.
   */
  static void assertReading(String key, Object value, Object expected) {
    if (expected instanceof Refusal refusal) {
      String named = refusal.key() == null ? key : refusal.key();
      assertRejected(defaultsWith(key, value), named, refusal.rule());
    } else {
      assertAccepted(key, value, expected);
    }
  }

  /** The values every duration key refuses, for the table rows of the seconds rule. */
  static final List<Object> NOT_SECONDS =
      Collections.unmodifiableList(
          Arrays.asList("0", "-1", "abc", "", "1e3", "0.0001", true, null));

  /** Rows {@code (key, value, Refusal)}: each of {@code keys} refuses each of {@code values}. */
  static Stream<Arguments> refusals(List<String> keys, List<Object> values, String rule) {
    return keys.stream()
        .flatMap(key -> values.stream().map(value -> Arguments.of(key, value, refused(rule))));
  }

  /** Rows for a whole-number key: each of {@code values} and {@code max + 1} are refused. */
  static Stream<Arguments> wholeNumberRefusals(String key, int max, Object... values) {
    List<Object> refused = new ArrayList<>(Arrays.asList(values));
    refused.add(max + 1);
    return refusals(List.of(key), refused, "must be a whole number from 1 to " + max);
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
