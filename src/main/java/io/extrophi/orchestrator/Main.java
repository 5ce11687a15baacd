package io.extrophi.orchestrator;

import io.extrophi.orchestrator.config.ConfigSources;
import io.extrophi.orchestrator.config.InvalidConfigException;
import io.extrophi.orchestrator.http.ListenFailure;
import io.extrophi.orchestrator.state.StateUnreadableException;
import io.vertx.core.Deployable;
import io.vertx.launcher.application.HookContext;
import io.vertx.launcher.application.VertxApplication;
import io.vertx.launcher.application.VertxApplicationHooks;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * Entry point of {@code java -jar orchestrator.jar [--demo] [launcher options]}.
 *
 * <p>The Vert.x launcher parses its usual options and closes Vert.x on SIGTERM (undeploying every
 * verticle); this class adds {@code --demo} and turns start-up failures that are the operator's to
 * fix (bad configuration, port in use) into one line on stderr instead of a stack trace.
 */
public final class Main extends VertxApplication implements VertxApplicationHooks {

  /** Exit status of an invalid configuration. */
  static final int EXIT_INVALID_CONFIG = 2;

  /** Exit status when the HTTP port cannot be bound. */
  static final int EXIT_PORT_UNAVAILABLE = 3;

  /** Exit status when the state file exists but cannot be read (it is left untouched). */
  static final int EXIT_STATE_UNREADABLE = 4;

  static final String DEMO_FLAG = "--demo";

  private final boolean demo;

  private Main(String[] launcherArgs, boolean demo) {
    super(launcherArgs);
    this.demo = demo;
  }

  public static void main(String[] args) {
    boolean demo = Arrays.asList(args).contains(DEMO_FLAG);
    String[] launcherArgs =
        Arrays.stream(args).filter(arg -> !DEMO_FLAG.equals(arg)).toArray(String[]::new);
    new Main(launcherArgs, demo).launch();
  }

  @Override
  public Supplier<? extends Deployable> verticleSupplier() {
    return () -> new MainVerticle(ConfigSources.fromProcess(), demo, true);
  }

  /**
   * Prefers Netty's native epoll transport (on the class path for Linux): a probe costs a few
   * event-loop wake-ups, and with the JDK selector each of them costs more CPU than the probe's own
   * Java code. Where it cannot load, Vert.x uses the JDK selector as before.
   */
  @Override
  public void beforeStartingVertx(HookContext context) {
    context.vertxOptions().setPreferNativeTransport(true);
  }

  @Override
  public void afterFailureToDeployVerticle(HookContext context, Throwable failure) {
    context.vertx().close();
    if (failure instanceof InvalidConfigException) {
      exitWith(EXIT_INVALID_CONFIG, failure.getMessage());
    }
    if (failure instanceof ListenFailure) {
      exitWith(EXIT_PORT_UNAVAILABLE, failure.getMessage());
    }
    if (failure instanceof StateUnreadableException) {
      exitWith(EXIT_STATE_UNREADABLE, failure.getMessage());
    }
  }

  private static void exitWith(int status, String line) {
    System.err.println("orchestrator: " + line);
    System.exit(status);
  }
}
