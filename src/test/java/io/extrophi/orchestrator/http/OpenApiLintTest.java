package io.extrophi.orchestrator.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.testing.ApiContract;
import io.extrophi.orchestrator.testing.IntegrationTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenAPI document passes the real {@code redocly lint} (Redocly CLI {@value #VERSION}) with
 * the recommended rules ({@code redocly.yaml}), errors and warnings alike, apart from the
 * exceptions listed with their reasons in {@code .redocly.lint-ignore.yaml}. The CLI must be
 * installed (where {@code .ci/run} puts it); without it the test fails, it does not skip.
 */
@IntegrationTest
class OpenApiLintTest {

  static final String VERSION = "2.77.0";

  /** Where {@code .ci/run} installs the CLI: outside the repository, one directory per version. */
  static final Path REDOCLY =
      Path.of(
          System.getProperty("user.home"),
          ".cache/orchestrator/redocly-cli-" + VERSION + "/node_modules/.bin/redocly");

  private static final long WAIT_S = 120;

  /** A finding in the CLI's {@code stylish} format: {@code 12:5 error rule-name message}. */
  private static final Pattern FINDING =
      Pattern.compile("(?m)^\\s*\\d+:\\d+\\s+(error|warning)\\s");

  @TempDir Path dir;

  @Test
  void theDocumentPassesRedoclysRecommendedRulesWithoutAWarning() throws Exception {
    Lint lint = lint(Path.of(ApiContract.SOURCE));

    assertThat(FINDING.matcher(lint.output()).results().map(match -> match.group()).toList())
        .as("redocly lint findings:\n" + lint.output())
        .isEmpty();
    assertThat(lint.exitStatus()).as(lint.output()).isZero();
    assertThat(lint.output()).contains("Your API description is valid");
  }

  /** The lint can fail: a read operation that does not say who may call it is an error. */
  @Test
  void anOperationWithoutASecurityDeclarationFailsTheLint() throws Exception {
    String document = Files.readString(Path.of(ApiContract.SOURCE));
    String withoutOne = document.replaceFirst("\n      security: \\[\\]\n", "\n");
    assertThat(withoutOne).isNotEqualTo(document);
    Path copy = dir.resolve("openapi.yaml");
    Files.writeString(copy, withoutOne);

    Lint lint = lint(copy);

    assertThat(lint.exitStatus()).as(lint.output()).isNotZero();
    assertThat(lint.output()).contains("security-defined");
  }

  private record Lint(int exitStatus, String output) {}

  private static Lint lint(Path document) throws IOException, InterruptedException {
    assertThat(Files.isExecutable(REDOCLY))
        .as(
            REDOCLY
                + " is missing: bash .ci/run installs it, or npm install --prefix "
                + REDOCLY.getParent().getParent().getParent()
                + " @redocly/cli@"
                + VERSION)
        .isTrue();
    ProcessBuilder command =
        new ProcessBuilder(
                List.of(
                    REDOCLY.toString(),
                    "lint",
                    "--config",
                    Path.of("redocly.yaml").toAbsolutePath().toString(),
                    "--format=stylish",
                    document.toAbsolutePath().toString()))
            .redirectErrorStream(true);
    // Nothing leaves the machine: no usage report, no look-up of a newer version.
    command.environment().put("REDOCLY_TELEMETRY", "off");
    command.environment().put("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true");
    Process process = command.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(WAIT_S, TimeUnit.SECONDS)).as("redocly lint ended").isTrue();
    return new Lint(process.exitValue(), output);
  }
}
