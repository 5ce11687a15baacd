package io.extrophi.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.testing.IntegrationTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One behaviour however it is run: every documented way to start the orchestrator passes {@code
 * conf/jvm.options} to java as an argument file, the file is one java reads, and with it a process
 * that runs out of memory ends instead of living on without the thread that failed.
 */
@IntegrationTest
class JvmOptionsTest {

  private static final Path OPTIONS = Path.of("conf", "jvm.options");

  @TempDir Path directory;
  private Path output;

  @BeforeEach
  void outputFile() {
    output = directory.resolve("java.log");
  }

  @Test
  void everyDocumentedWayToStartItReadsTheOptionsFile() throws IOException {
    assertThat(read("scripts/run")).contains("exec java @conf/jvm.options ");
    assertThat(read("Dockerfile"))
        .contains("COPY --from=build /build/conf/jvm.options /app/jvm.options")
        .contains("ENTRYPOINT [\"java\", \"@/app/jvm.options\"");
    assertThat(read("scripts/orchestrator.service"))
        .contains("ExecStart=/usr/bin/java @/opt/orchestrator/jvm.options ");
    assertThat(read("docs/operations.md"))
        .contains("install -m 0644 target/orchestrator.jar conf/jvm.options /opt/orchestrator/")
        .doesNotContain("`java -jar target/orchestrator.jar`");
    assertThat(read("docs/development.md"))
        .contains("java @conf/jvm.options -jar target/orchestrator.jar")
        .doesNotContain("`java -jar target/orchestrator.jar`");
  }

  @Test
  void javaReadsTheFileAsAnArgumentFile() throws Exception {
    Process java = java(List.of("@" + OPTIONS, "-XX:+PrintFlagsFinal", "-version"));
    assertThat(java.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String flags = Files.readString(output);
    assertThat(java.exitValue()).as(flags).isZero();
    assertThat(flags)
        .containsPattern("ExitOnOutOfMemoryError\\s+= true\\s+\\{product\\} \\{command line\\}")
        .containsPattern("UseSerialGC\\s+= true\\s+\\{product\\} \\{command line\\}");
  }

  @Test
  void anOutOfMemoryErrorInAnyThreadEndsTheProcess() throws Exception {
    // A smaller heap after the file wins, as JAVA_OPTS does in scripts/run.
    Process java =
        java(
            List.of(
                "@" + OPTIONS,
                "-Xms16m",
                "-Xmx48m",
                "-Xmn8m",
                "-cp",
                System.getProperty("java.class.path"),
                AllocatesUntilOutOfMemory.class.getName()));
    assertThat(java.waitFor(120, TimeUnit.SECONDS)).as("ended by itself").isTrue();
    assertThat(java.exitValue()).isEqualTo(3);
    assertThat(Files.readString(output))
        .contains("Terminating due to java.lang.OutOfMemoryError")
        .doesNotContain(AllocatesUntilOutOfMemory.STILL_ALIVE);
  }

  /** Runs out of memory in a thread of its own while the main thread lives on, as a zombie. */
  static final class AllocatesUntilOutOfMemory {
    static final String STILL_ALIVE = "main thread outlived the OutOfMemoryError";

    public static void main(String[] args) throws InterruptedException {
      Thread allocating =
          new Thread(
              () -> {
                List<long[]> hoard = new ArrayList<>();
                while (true) {
                  hoard.add(new long[1 << 16]);
                }
              },
              "allocating");
      allocating.start();
      allocating.join();
      System.out.println(STILL_ALIVE);
      Thread.sleep(TimeUnit.MINUTES.toMillis(10));
    }
  }

  /** A JVM with these arguments, its stdout and stderr in {@link #output}. */
  private Process java(List<String> args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(args);
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(output.toFile())
        .start();
  }

  private static String read(String file) throws IOException {
    return Files.readString(Path.of(file), StandardCharsets.UTF_8);
  }
}
