package io.extrophi.orchestrator.config;

import java.util.Locale;
import java.util.Optional;

/**
 * How a service's probes get their connection: a new one for every probe, as health checkers
 * usually do, or a kept-alive one from a pool whose connections are replaced after a maximum age.
 */
public enum ConnectionMode {
  /**
   * A new connection for every probe, closed after it: a target that serves its established
   * connections but accepts no new ones is seen at the next probe. The default.
   */
  FRESH("fresh"),
  /**
   * Connections kept alive between probes, none older than {@code PROBE_CONNECTION_MAX_AGE}: fewer
   * handshakes for large fleets at short intervals, and a new connection proven at least once per
   * maximum age.
   */
  REUSE("reuse");

  /** The mode of services that set none, unless {@code PROBE_CONNECTION} says otherwise. */
  public static final ConnectionMode DEFAULT = FRESH;

  private final String configName;

  ConnectionMode(String configName) {
    this.configName = configName;
  }

  static final String RULE = "must be fresh or reuse";

  /** The name used in the configuration: {@code fresh} or {@code reuse}. */
  public String configName() {
    return configName;
  }

  /** The mode with this name, ignoring case and surrounding blanks. */
  public static Optional<ConnectionMode> parse(String name) {
    String wanted = name.strip().toLowerCase(Locale.ROOT);
    for (ConnectionMode mode : values()) {
      if (mode.configName.equals(wanted)) {
        return Optional.of(mode);
      }
    }
    return Optional.empty();
  }

  /** The mode a setting names; a value that names none stops start-up. */
  public static ConnectionMode from(ConfigValues values, String key, Object raw) {
    return (raw instanceof String text ? parse(text) : Optional.<ConnectionMode>empty())
        .orElseThrow(() -> values.invalid(key, raw, RULE));
  }
}
