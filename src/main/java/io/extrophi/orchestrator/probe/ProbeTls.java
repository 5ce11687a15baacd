package io.extrophi.orchestrator.probe;

import io.extrophi.orchestrator.config.TlsEngine;
import io.netty.handler.ssl.OpenSsl;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.SSLEngineOptions;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS engine of the probes' {@code https} clients, from {@code PROBE_TLS_ENGINE}: BoringSSL
 * (netty-tcnative) when asked for or by default, if its native library loads here; the JDK's
 * otherwise, said once in the log.
 *
 * <p>A {@code fresh} probe makes a full handshake, as blackbox_exporter's does: the certificate is
 * checked on every probe, and a rotated or expired one shows at the next probe rather than after a
 * cached session ends. Both engines keep resumable sessions per host and port on the client side
 * (Vert.x's session-cache switch does not stop BoringSSL's), so the probe invalidates its session
 * when done ({@link ServiceProbe}).
 */
final class ProbeTls {

  private static final Logger LOG = LoggerFactory.getLogger(ProbeTls.class);
  private static final AtomicBoolean FALLBACK_LOGGED = new AtomicBoolean();

  private ProbeTls() {}

  /** The engine {@code wanted} resolves to on this machine. */
  static TlsEngine resolve(TlsEngine wanted) {
    if (wanted == TlsEngine.JDK) {
      return TlsEngine.JDK;
    }
    if (OpenSsl.isAvailable()) {
      return TlsEngine.OPENSSL;
    }
    if (FALLBACK_LOGGED.compareAndSet(false, true)) {
      String why = String.valueOf(OpenSsl.unavailabilityCause());
      if (wanted == TlsEngine.OPENSSL) {
        LOG.warn(
            "PROBE_TLS_ENGINE=openssl, but BoringSSL cannot load here ({}): probes use the JDK's TLS",
            why);
      } else {
        LOG.info("BoringSSL cannot load here ({}): probes use the JDK's TLS", why);
      }
    }
    return TlsEngine.JDK;
  }

  /** Engine options for a client on the resolved {@code engine}. */
  static SSLEngineOptions options(TlsEngine engine) {
    return engine == TlsEngine.OPENSSL ? new OpenSSLEngineOptions() : new JdkSSLEngineOptions();
  }
}
