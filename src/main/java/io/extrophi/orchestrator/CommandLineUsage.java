package io.extrophi.orchestrator;

import io.vertx.launcher.application.VertxApplicationHooks;
import io.vertx.launcher.application.impl.VertxApplicationCommand;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * The command line of {@code java -jar orchestrator.jar}: our own usage text, and the check that
 * every argument is one we or the Vert.x launcher understand. Left to itself, the launcher answers
 * a mistyped option with its whole usage twice (about 100 lines, the second copy in colour) and
 * never mentions {@code --demo}.
 */
final class CommandLineUsage {

  private static final List<String> OUR_FLAGS = List.of(Main.DEMO_FLAG, "--cluster", "--help");

  static final Set<String> HELP_FLAGS = Set.of("-h", "-help", "--help");

  static final String TEXT =
      """
      Usage: scripts/run [--demo] [--cluster] [--help]
         or: java @conf/jvm.options -jar target/orchestrator.jar [--demo] [--cluster] [--help]

        (no option)  monitor the services of conf/services.yaml (see SERVICES_FILE) and serve the
                     API and the status page on HTTP_HOST:HTTP_PORT (default 0.0.0.0:8003)
        --demo       start three sample services on 127.0.0.1:8000-8002 (healthy, flaky, down)
                     and monitor them instead of the configured ones
        --cluster    run as one node of a cluster of orchestrators (CLUSTER_* settings)
        --help       show this help
        --build-only (scripts/run only) rebuild the jar if it is stale, then exit

      Settings (lowest to highest precedence): built-in defaults, conf/config.yaml, .env,
      environment variables, -D system properties; every key is listed in .env.example and in
      README.md ("Configuration"). The Vert.x launcher's own options (-conf, -options,
      -instances, -cluster-host, ...) are accepted as well.
      """;

  private CommandLineUsage() {}

  /**
   * What is wrong with the arguments meant for the Vert.x launcher (ours, such as {@code --demo},
   * already taken out), or empty when it accepts them all.
   */
  static Optional<String> problemWith(List<String> launcherArgs) {
    // The launcher's own command, only to read its options from: never run.
    CommandLine launcher =
        new CommandLine(new VertxApplicationCommand(null, VertxApplicationHooks.DEFAULT, null))
            .setOptionsCaseInsensitive(true);
    try {
      ParseResult parsed = launcher.parseArgs(launcherArgs.toArray(String[]::new));
      // The launcher's one positional argument names a main verticle, which this jar never takes.
      if (!parsed.matchedPositionals().isEmpty()) {
        return Optional.of(
            "unexpected argument '" + parsed.matchedPositionals().get(0).getValue() + "'");
      }
      return Optional.empty();
    } catch (CommandLine.UnmatchedArgumentException unknown) {
      return Optional.of(
          "unknown option '" + unknown.getUnmatched().get(0) + "'" + suggestion(unknown));
    } catch (CommandLine.ParameterException invalid) {
      return Optional.of(invalid.getMessage());
    }
  }

  private static String suggestion(CommandLine.UnmatchedArgumentException unknown) {
    String typed = letters(unknown.getUnmatched().get(0));
    return OUR_FLAGS.stream()
        .filter(ours -> letters(ours).equals(typed))
        .findFirst()
        .map(ours -> " (did you mean " + ours + "?)")
        .orElse("");
  }

  /** The letters of an option in order: equal for the usual slip of two swapped letters. */
  private static String letters(String option) {
    return option
        .toLowerCase(Locale.ROOT)
        .chars()
        .filter(Character::isLetter)
        .sorted()
        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
        .toString();
  }
}
