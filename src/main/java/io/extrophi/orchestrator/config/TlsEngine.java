package io.extrophi.orchestrator.config;

import java.util.Locale;
import java.util.Optional;

/**
 * Which TLS implementation the probes' {@code https} connections use ({@code PROBE_TLS_ENGINE}).
 * BoringSSL (netty-tcnative, shipped for Linux x86-64) makes a handshake several times cheaper than
 * the JDK's, which matters with a new connection per probe (see docs/benchmarks.md, "Fresh
 * connections"); the JDK's works everywhere.
 */
public enum TlsEngine {
  /** BoringSSL when its native library loads on this machine, the JDK's otherwise. The default. */
  AUTO("auto"),
  /** The JDK's TLS ({@code SSLEngine}). */
  JDK("jdk"),
  /** BoringSSL; when its native library cannot load, the JDK's is used and a warning says why. */
  OPENSSL("openssl");

  public static final TlsEngine DEFAULT = AUTO;

  static final String RULE = "must be auto, jdk or openssl";

  private final String configName;

  TlsEngine(String configName) {
    this.configName = configName;
  }

  /** The name used in the configuration. */
  public String configName() {
    return configName;
  }

  /** The engine with this name, ignoring case and surrounding blanks. */
  public static Optional<TlsEngine> parse(String name) {
    String wanted = name.strip().toLowerCase(Locale.ROOT);
    for (TlsEngine engine : values()) {
      if (engine.configName.equals(wanted)) {
        return Optional.of(engine);
      }
    }
    return Optional.empty();
  }

  /** The engine a setting names; a value that names none stops start-up. */
  static TlsEngine from(ConfigValues values, String key, Object raw) {
    return (raw instanceof String text ? parse(text) : Optional.<TlsEngine>empty())
        .orElseThrow(() -> values.invalid(key, raw, RULE));
  }
}
