package io.extrophi.orchestrator.reload;

import io.vertx.core.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Reloads the configuration on SIGHUP, as daemons conventionally do. The JDK has no public signal
 * API; {@code sun.misc.Signal} (module jdk.unsupported) is the supported-in-practice way, and where
 * it is missing (another JVM, or Windows) the orchestrator simply runs without it.
 */
public final class HangupSignal {

  private static final Logger LOG = LoggerFactory.getLogger(HangupSignal.class);

  private HangupSignal() {}

  /** Routes SIGHUP to {@code reloader.reload()} on the reloader's own event loop. */
  public static void reloadOnHangup(ConfigReloadVerticle reloader, Context context) {
    try {
      Signal.handle(
          new Signal("HUP"),
          signal -> {
            LOG.info("SIGHUP received: reloading the configuration");
            context.runOnContext(ignored -> reloader.reload());
          });
    } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError unavailable) {
      LOG.warn("SIGHUP cannot be handled on this JVM: {}", unavailable.getMessage());
    }
  }
}
