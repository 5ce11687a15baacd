package io.extrophi.orchestrator.reload;

import io.vertx.core.Context;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Reloads the configuration on SIGHUP, as daemons conventionally do. The JDK has no public signal
 * API; {@code sun.misc.Signal} (module jdk.unsupported) is the supported-in-practice way, and where
 * it is missing (another JVM, or Windows) the orchestrator simply runs without it.
 *
 * <p>The JVM's own SIGHUP handler exits (status 129), and {@code systemctl reload} sends SIGHUP at
 * any moment, start-up included; so {@link #queueUntilReady()} takes the signal over first thing in
 * {@code main}, and {@link #reloadOnHangup} later routes it to the reloader.
 */
public final class HangupSignal {

  private static final String HUP = "HUP";

  /** A SIGHUP received before the reloader was ready; honoured once it is. */
  private static final AtomicBoolean PENDING = new AtomicBoolean();

  private HangupSignal() {}

  /**
   * From now until {@link #reloadOnHangup} is called, SIGHUP only queues one reload instead of
   * ending the process. The configuration being loaded may predate the edit the signal announces,
   * hence a reload rather than nothing.
   */
  public static void queueUntilReady() {
    install(
        signal -> {
          if (!PENDING.getAndSet(true)) {
            log().info("SIGHUP during start-up: the configuration is reloaded once started");
          }
        });
  }

  /** Routes SIGHUP to {@code reloader.reload()} on the reloader's own event loop. */
  public static void reloadOnHangup(ConfigReloadVerticle reloader, Context context) {
    boolean installed =
        install(
            signal -> {
              log().info("SIGHUP received: reloading the configuration");
              context.runOnContext(ignored -> reloader.reload());
            });
    if (installed && PENDING.getAndSet(false)) {
      log().info("reloading the configuration for the SIGHUP received during start-up");
      context.runOnContext(ignored -> reloader.reload());
    }
  }

  /**
   * Looked up when needed, not when the class loads: the handler must be in place before the
   * logging framework has started, which takes a while.
   */
  private static Logger log() {
    return LoggerFactory.getLogger(HangupSignal.class);
  }

  private static boolean install(sun.misc.SignalHandler handler) {
    try {
      Signal.handle(new Signal(HUP), handler);
      return true;
    } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError unavailable) {
      log().warn("SIGHUP cannot be handled on this JVM: {}", unavailable.getMessage());
      return false;
    }
  }
}
