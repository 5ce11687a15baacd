package io.extrophi.orchestrator;

import io.extrophi.orchestrator.reload.HangupSignal;
import java.util.Arrays;
import java.util.Optional;

/**
 * Entry point of {@code java -jar orchestrator.jar [--demo] [--cluster] [--help] [launcher
 * options]}: takes SIGHUP over, checks the command line ({@link CommandLineUsage}), then hands over
 * to the Vert.x launcher ({@link OrchestratorApplication}).
 *
 * <p>Deliberately not the launcher itself: before a class's {@code main} runs, the JVM initialises
 * its superclasses, and the launcher's starts the logging framework, which takes seconds on a busy
 * machine. Until the handler is in place, the JVM's own ends the process on SIGHUP (status 129),
 * and {@code systemctl reload} sends one at any moment.
 */
public final class Main {

  /** Exit status of an invalid configuration. */
  static final int EXIT_INVALID_CONFIG = 2;

  /**
   * Exit status of an argument that is not an option of ours or the launcher's: like a bad
   * configuration value, restarting cannot fix it.
   */
  static final int EXIT_USAGE = 2;

  /** Exit status when the HTTP port cannot be bound. */
  static final int EXIT_PORT_UNAVAILABLE = 3;

  /** Exit status when the state file exists but cannot be read (it is left untouched). */
  static final int EXIT_STATE_UNREADABLE = 4;

  /** Exit status when cluster mode cannot start (Hazelcast cannot bind or join). */
  static final int EXIT_CLUSTER_UNAVAILABLE = 5;

  /**
   * Exit status when another orchestrator holds the lock of the data directory: restarting does not
   * help while that one runs.
   */
  static final int EXIT_DATA_DIR_LOCKED = 6;

  /**
   * Exit status of a start that failed for a reason not listed above: the Vert.x launcher's own for
   * a failed deployment, which {@link PatientStart} reproduces for a failure that comes late.
   */
  static final int EXIT_DEPLOYMENT_FAILED = 15;

  static final String DEMO_FLAG = "--demo";

  private Main() {}

  public static void main(String[] args) {
    HangupSignal.queueUntilReady();
    if (Arrays.stream(args).anyMatch(CommandLineUsage.HELP_FLAGS::contains)) {
      System.out.print(CommandLineUsage.TEXT);
      return;
    }
    Optional<String> badArguments =
        CommandLineUsage.problemWith(OrchestratorApplication.launcherArgs(args));
    if (badArguments.isPresent()) {
      System.err.print("orchestrator: " + badArguments.get() + "\n\n" + CommandLineUsage.TEXT);
      System.exit(EXIT_USAGE);
    }
    OrchestratorApplication.launch(args);
  }
}
