package io.extrophi.orchestrator;

import static io.extrophi.orchestrator.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.extrophi.orchestrator.alert.WebhookReceiver;
import io.extrophi.orchestrator.testing.ApiContract;
import io.extrophi.orchestrator.testing.Await;
import io.extrophi.orchestrator.testing.IntegrationTest;
import io.extrophi.orchestrator.testing.NodeProcess;
import io.extrophi.orchestrator.testing.TargetServer;
import io.extrophi.orchestrator.testing.TestConfigs;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The service as an operator runs it: a separate JVM started through {@link Main}, configured by
 * environment variables, stopped by SIGTERM. The working directory is empty, so no {@code conf/} or
 * {@code .env} of the developer's checkout leaks in.
 */
@IntegrationTest
class ServiceProcessTest {

  private static final long START_DEADLINE_MS = 60_000;

  @TempDir Path workDir;

  private final List<Process> started = new ArrayList<>();

  @AfterEach
  void killLeftovers() {
    started.forEach(Process::destroyForcibly);
  }

  @Test
  void servesTheApiThenExitsCleanlyOnSigterm() throws Exception {
    int port = NodeProcess.freePort();
    // No periodic flush during the test: the state file can only come from the last flush on the
    // way out, which runs while Vert.x closes.
    Process process = startOn(port, Map.of("STATE_FLUSH_INTERVAL", "600"));
    HttpResponse<String> health = awaitHealth(port);
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).isEqualTo("{\"status\":\"ok\",\"service\":\"orchestrator\"}");

    assertThat(exitStatusAfterSigterm(process)).isIn(0, 143);
    assertThat(isListening(port)).isFalse();
    assertThat(Files.size(workDir.resolve("data").resolve("state.bin"))).isPositive();
    assertThat(stdoutOf()).doesNotContain("could not write");
  }

  @Test
  void sighupReloadsTheServicesFile() throws Exception {
    int port = NodeProcess.freePort();
    Path servicesFile = workDir.resolve("services.yaml");
    String nowhere = "http://127.0.0.1:" + NodeProcess.freePort() + "/health";
    Files.writeString(servicesFile, "services:\n  - name: alpha\n    url: " + nowhere + "\n");
    Process process =
        startOn(
            port,
            Map.of(
                "SERVICES_FILE",
                servicesFile.toString(),
                // Only the signal may notice the edit within this test.
                "CONFIG_RELOAD_INTERVAL",
                "3600"));
    awaitHealth(port);
    Files.writeString(
        servicesFile,
        "services:\n  - name: alpha\n    url: "
            + nowhere
            + "\n  - name: beta\n    url: "
            + nowhere
            + "\n");
    sighup(process);
    Await.until(() -> statusOrError(port, "").encode().contains("\"beta\""), START_DEADLINE_MS);
    assertThat(get(port, "/health/status").body()).contains("\"alpha\"").contains("\"beta\"");
    assertThat(process.isAlive()).isTrue();
  }

  @Test
  void aSighupDuringStartupIsQueuedNotFatal() throws Exception {
    int port = NodeProcess.freePort();
    Process process = startOn(port, Map.of());
    // The first line the process prints comes after its main method began (the earliest moment a
    // Java program can take a signal over) and long before the API listens: before the fix, the
    // JVM's own handler ended the process there with status 129.
    Await.until(() -> !stdoutOf().isBlank() || !process.isAlive(), START_DEADLINE_MS);
    sighup(process);
    sighup(process);

    assertThat(awaitHealth(port).statusCode()).isEqualTo(200);
    assertThat(process.isAlive()).as("alive after SIGHUP during start-up").isTrue();
    // Queued during start-up and honoured once started, or (on a fast machine) handled at once.
    Await.until(
        () ->
            stdoutOf().contains("reloading the configuration for the SIGHUP received during")
                || stdoutOf().contains("SIGHUP received: reloading the configuration"),
        START_DEADLINE_MS);
    assertThat(exitStatusAfterSigterm(process)).isIn(0, 143);
  }

  /** A bad setting (besides the API's port) and what the one line on stderr must say of it. */
  static Stream<Arguments> badSettings() {
    List<String> blankToken = List.of("ORCHESTRATOR_API_TOKEN", "set but blank", "unset");
    return Stream.of(
        arguments(Map.of("ORCHESTRATOR_API_TOKEN", ""), blankToken),
        arguments(Map.of("ORCHESTRATOR_API_TOKEN", " "), blankToken),
        arguments(Map.of("ORCHESTRATOR_API_TOKEN", "\n"), blankToken),
        arguments(
            Map.of("HEALTH_CHECK_INTERVAL", "abc"),
            List.of("HEALTH_CHECK_INTERVAL", "\"abc\"", "must be a positive number of seconds")),
        arguments(
            Map.of("CLUSTER_ENABLED", "true", "CLUSTER_PORT", "x"),
            List.of("CLUSTER_PORT=\"x\"", "must be a port number from 1 to 65535")));
  }

  @ParameterizedTest
  @MethodSource("badSettings")
  void aBadSettingStopsStartupWithOneLineNamingKeyValueAndRule(
      Map<String, String> bad, List<String> said) throws Exception {
    int port = NodeProcess.freePort();
    Process process = startOn(port, bad);
    assertThat(theOnlyErrorLine(process, Main.EXIT_INVALID_CONFIG))
        .contains(said)
        .doesNotContain("Exception");
    assertThat(isListening(port)).isFalse();
  }

  @Test
  void anUnknownOptionGetsOurUsageOnce() throws Exception {
    Process process = start(Map.of(), List.of("--dmeo"));
    assertThat(exitStatusOf(process)).isEqualTo(Main.EXIT_USAGE);
    String error = stderrOf();
    assertThat(error)
        .startsWith("orchestrator: unknown option '--dmeo' (did you mean --demo?)")
        .contains("--demo")
        .contains("--help")
        .doesNotContain("\u001b")
        .doesNotContain("mainVerticle");
    assertThat(error.split("Usage:", -1)).as("usage printed once").hasSize(2);
    assertThat(stdoutOf()).isEmpty();
  }

  @Test
  void helpPrintsOurUsageAndStartsNothing() throws Exception {
    Process process = start(Map.of(), List.of("--help"));
    assertThat(exitStatusOf(process)).isZero();
    assertThat(stdoutOf())
        .startsWith("Usage: scripts/run")
        .contains("conf/services.yaml")
        .contains("--demo");
  }

  @Test
  void theStartupLogGivesTheStatusPageAtTheBoundPort() throws Exception {
    Process process = start(Map.of("HTTP_PORT", "0"), List.of());
    Await.until(
        () -> stdoutOf().contains("status page: ") || !process.isAlive(), START_DEADLINE_MS);
    Matcher url =
        Pattern.compile("status page: http://127\\.0\\.0\\.1:(\\d+)/ui/").matcher(stdoutOf());
    assertThat(url.find()).as("status page URL in:\n" + stdoutOf()).isTrue();
    int port = Integer.parseInt(url.group(1));
    assertThat(port).isPositive();
    assertThat(get(port, "/ui/").statusCode()).isEqualTo(200);
  }

  @Test
  void anInvalidServicesFileStopsStartupNamingFileLineAndKey() throws Exception {
    int port = NodeProcess.freePort();
    Path servicesFile = workDir.resolve("services.yaml");
    Files.writeString(
        servicesFile,
        "services:\n  - name: alpha\n    url: http://127.0.0.1:1/health\n    timeout: -1\n");
    Process process = startOn(port, Map.of("SERVICES_FILE", servicesFile.toString()));
    assertThat(theOnlyErrorLine(process, Main.EXIT_INVALID_CONFIG))
        .contains("services[0].timeout=\"-1\"")
        .contains(servicesFile + " line 4")
        .contains("must be a positive number of seconds");
    assertThat(isListening(port)).isFalse();
  }

  @Test
  void anOccupiedPortStopsStartupWithOneLine() throws Exception {
    try (ServerSocket occupied = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = occupied.getLocalPort();
      Process process = startOn(port, Map.of());
      assertThat(theOnlyErrorLine(process, Main.EXIT_PORT_UNAVAILABLE))
          .isEqualTo(
              "orchestrator: cannot listen on 127.0.0.1:"
                  + port
                  + " for the HTTP API: Address already in use");
    }
  }

  @Test
  void aStateFileThatCannotBeReadStopsStartupAndIsLeftAlone() throws Exception {
    Path data = Files.createDirectories(workDir.resolve("data"));
    // A directory in place of the state file exists but cannot be read as one (a file without
    // read permission would do the same, but tests run as root).
    Files.createDirectory(data.resolve("state.bin"));
    Process process = startOn(NodeProcess.freePort(), Map.of("DATA_DIR", "data"));
    assertThat(theOnlyErrorLine(process, Main.EXIT_STATE_UNREADABLE))
        .startsWith("orchestrator: cannot read the state file data/state.bin (")
        .contains("left untouched");
    assertThat(Files.isDirectory(data.resolve("state.bin"))).isTrue();
  }

  @Test
  void aClusterPortInUseStopsStartupWithOneLine() throws Exception {
    try (ServerSocket occupied = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = NodeProcess.freePort();
      int clusterPort = occupied.getLocalPort();
      Process process =
          startOn(
              port,
              Map.of(
                  "CLUSTER_ENABLED",
                  "true",
                  "CLUSTER_NAME",
                  "occupied-" + clusterPort,
                  "CLUSTER_HOST",
                  "127.0.0.1",
                  "CLUSTER_PORT",
                  String.valueOf(clusterPort),
                  "CLUSTER_MEMBERS",
                  "127.0.0.1:" + clusterPort));
      assertThat(exitStatusOf(process)).isEqualTo(Main.EXIT_CLUSTER_UNAVAILABLE);
      assertThat(nonBlankLines(stderrOf()))
          .last()
          .asString()
          .startsWith("orchestrator: cannot start in cluster mode (cluster occupied-");
      assertThat(isListening(port)).isFalse();
    }
  }

  @Test
  void aRestartWithAFixedUrlProbesAtOnceWithAFreshCircuit() throws Exception {
    int port = NodeProcess.freePort();
    Map<String, String> settings =
        Map.of(
            // One failure opens a circuit, which then stays open for the whole test.
            "CIRCUIT_BREAKER_THRESHOLD", "1",
            "CIRCUIT_BREAKER_RESET_TIMEOUT", "300",
            "HEALTH_CHECK_INTERVAL", "600",
            // Generous: on a loaded machine a healthy target must not time out here.
            "HEALTH_CHECK_TIMEOUT", "60");
    Process broken = startOn(port, settings);
    awaitHealth(port);
    awaitServiceHealth(port, "writer", "circuit_open");
    exitStatusAfterSigterm(broken);

    Vertx vertx = Vertx.vertx();
    try {
      TargetServer target = await(TargetServer.start(vertx));
      Map<String, String> fixed = new HashMap<>(settings);
      fixed.put("WRITER_URL", target.url());
      startOn(port, fixed);
      awaitHealth(port);
      JsonObject writer = awaitServiceHealth(port, "writer", "healthy");

      assertThat(writer.getString("circuit_breaker_state")).isEqualTo("closed");
      // Statistics are kept by name, as after a reload: the old check's failure and the new one.
      assertThat(writer.getLong("total_checks")).isEqualTo(2);
      assertThat(writer.getLong("successful_checks")).isEqualTo(1);
      assertThat(target.requests()).isEqualTo(1);
      // A service whose check did not change continues its circuit.
      assertThat(statusOrError(port, "research").getString("health")).isEqualTo("circuit_open");
    } finally {
      await(vertx.close());
    }
  }

  @Test
  void aSigtermWithProbesInFlightAddsNoFailureAndNoAlert() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      TargetServer target = await(TargetServer.start(vertx));
      WebhookReceiver receiver = await(WebhookReceiver.start(vertx));
      int port = NodeProcess.freePort();
      int fleet = 12;
      Path servicesFile = workDir.resolve("services.yaml");
      Files.writeString(
          servicesFile,
          TestConfigs.servicesYaml(
              Collections.nCopies(fleet, target.url()), "interval: 600", "timeout: 60"));
      Map<String, String> settings =
          Map.of(
              "SERVICES_FILE",
              servicesFile.toString(),
              "MAX_IN_FLIGHT_PROBES",
              "4",
              "ALERT_WEBHOOK",
              receiver.url("/hook"),
              "STATE_FLUSH_INTERVAL",
              "600");
      Process process = startOn(port, settings);
      awaitHealth(port);
      for (int i = 0; i < fleet; i++) {
        awaitServiceHealth(port, "s" + i, "healthy");
      }
      // The targets stop answering and every service is checked: 4 probes in flight, 8 waiting.
      target.hang();
      HttpClient.newHttpClient()
          .sendAsync(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/trigger"))
                  .POST(HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      Await.until(() -> target.maxInFlight() >= 4, 30_000);

      exitStatusAfterSigterm(process);
      String log = stdoutOf();
      List<String> stopLines =
          log.lines().filter(line -> line.contains("probing stopped")).toList();
      assertThat(stopLines).hasSize(1);
      assertThat(stopLines.get(0))
          .contains("4 probes in flight abandoned without a result, 8 waiting checks dropped");
      assertThat(log).doesNotContain("unhealthy").doesNotContain("Client is closed");

      // The saved state, read back by a restart that probes once more.
      target.respondWith(200);
      startOn(port, settings);
      awaitHealth(port);
      for (int i = 0; i < fleet; i++) {
        String name = "s" + i;
        Await.until(() -> totalChecksOf(port, name) >= 2, START_DEADLINE_MS);
        JsonObject after = statusOrError(port, name);
        assertThat(after.getLong("total_checks")).as(name).isEqualTo(2);
        assertThat(after.getLong("successful_checks")).as(name).isEqualTo(2);
      }
      assertThat(receiver.requests()).isEmpty();
    } finally {
      await(vertx.close());
    }
  }

  @Test
  void twoThousandConnectionsAtAnOpenFilesLimitOf1024StopNeitherHealthNorProbesNorTheState()
      throws Exception {
    int port = NodeProcess.freePort();
    startUnder(
        List.of("prlimit", "--nofile=1024:1024"),
        Map.of(
            "HTTP_PORT",
            String.valueOf(port),
            "HEALTH_CHECK_INTERVAL",
            "1",
            "HEALTH_CHECK_TIMEOUT",
            "0.5",
            "STATE_FLUSH_INTERVAL",
            "1",
            // Probes of the closed port go on failing: an open circuit would stop them.
            "CIRCUIT_BREAKER_THRESHOLD",
            "1000000"),
        List.of());
    assertThat(awaitHealth(port).statusCode()).isEqualTo(200);
    Path state = workDir.resolve("data").resolve("state.bin");
    List<Socket> held = new ArrayList<>();
    try {
      // Opened and left idle, as many as twice the limit: without a connection cap the process
      // runs out of descriptors at about 1,000.
      for (int i = 0; i < 2_000; i++) {
        held.add(new Socket(InetAddress.getLoopbackAddress(), port));
        if (i % 250 == 249) {
          assertThat(get(port, "/health").statusCode())
              .as("after %d connections", i + 1)
              .isEqualTo(200);
        }
      }
      long checksDuringFlood = totalChecksOf(port, "writer");
      FileTime floodEnded = FileTime.fromMillis(System.currentTimeMillis());
      Await.until(
          () ->
              totalChecksOf(port, "writer") > checksDuringFlood
                  && lastModified(state).compareTo(floodEnded) > 0,
          "probes and a state write after the flood",
          START_DEADLINE_MS);
      assertThat(totalChecksOf(port, "writer")).as("probes go on").isGreaterThan(checksDuringFlood);
      assertThat(Files.getLastModifiedTime(state))
          .as("state written after the flood")
          .isGreaterThan(floodEnded);
    } finally {
      for (Socket socket : held) {
        socket.close();
      }
    }
    assertThat(stdoutOf()).doesNotContain("Too many open files").doesNotContain("could not write");
  }

  @Test
  void anOpenFilesLimitTooLowForTheConnectionCapIsWarnedAboutAtStartup() throws Exception {
    int port = NodeProcess.freePort();
    startUnder(
        List.of("prlimit", "--nofile=400:400"),
        Map.of("HTTP_PORT", String.valueOf(port)),
        List.of());
    assertThat(awaitHealth(port).statusCode()).isEqualTo(200);
    assertThat(stdoutOf())
        .contains("The open-files limit is 400 but up to 643 descriptors may be needed");
  }

  /** Polls {@code GET /health/status/{name}} until the service has that health. */
  private static JsonObject awaitServiceHealth(int port, String name, String health)
      throws Exception {
    Await.until(
        () -> health.equals(statusOrError(port, name).getString("health")),
        name + " becoming " + health,
        START_DEADLINE_MS);
    return statusOrError(port, name);
  }

  /**
   * {@code GET /health/status/{name}} ({@code name} empty: the whole status), or what went wrong as
   * {@code {"error": ...}} while the process does not answer.
   */
  private static JsonObject statusOrError(int port, String name) {
    try {
      return new JsonObject(
          get(port, "/health/status" + (name.isEmpty() ? "" : "/" + name)).body());
    } catch (Exception notAnswering) {
      return new JsonObject().put("error", notAnswering.toString());
    }
  }

  private static long totalChecksOf(int port, String name) {
    return statusOrError(port, name).getLong("total_checks", -1L);
  }

  private static FileTime lastModified(Path file) {
    try {
      return Files.getLastModifiedTime(file);
    } catch (IOException notYetWritten) {
      return FileTime.fromMillis(0);
    }
  }

  private static void sighup(Process process) throws Exception {
    new ProcessBuilder("kill", "-HUP", String.valueOf(process.pid())).start().waitFor();
  }

  /** Sends SIGTERM and waits for the end; the exit status. */
  private static int exitStatusAfterSigterm(Process process) throws Exception {
    process.destroy();
    return exitStatusOf(process);
  }

  /** Waits for the process to end (which on a busy machine may take a while); its exit status. */
  private static int exitStatusOf(Process process) throws Exception {
    assertThat(process.waitFor(START_DEADLINE_MS, TimeUnit.MILLISECONDS)).as("exited").isTrue();
    return process.exitValue();
  }

  /** A start-up that fails: its exit status must be {@code exitStatus}, its stderr one line. */
  private String theOnlyErrorLine(Process process, int exitStatus) throws Exception {
    assertThat(exitStatusOf(process)).isEqualTo(exitStatus);
    List<String> errorLines = nonBlankLines(stderrOf());
    assertThat(errorLines).hasSize(1);
    return errorLines.get(0);
  }

  /** Starts the service with its API on 127.0.0.1 and {@code port}. */
  private Process startOn(int port, Map<String, String> settings) throws IOException {
    Map<String, String> withPort = new HashMap<>(settings);
    withPort.put("HTTP_PORT", String.valueOf(port));
    return start(withPort, List.of());
  }

  private Process start(Map<String, String> settings, List<String> args) throws IOException {
    return startUnder(List.of(), settings, args);
  }

  /**
   * @param launcher what runs the JVM, e.g. {@code prlimit} with its options; empty for none
   * @param args the orchestrator's own arguments
   */
  private Process startUnder(List<String> launcher, Map<String, String> settings, List<String> args)
      throws IOException {
    int closedPort = NodeProcess.freePort();
    List<String> command = new ArrayList<>(launcher);
    command.addAll(
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            System.getProperty("java.class.path"),
            Main.class.getName()));
    command.addAll(args);
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(workDir.toFile())
            .redirectOutput(workDir.resolve("stdout.log").toFile())
            .redirectError(workDir.resolve("stderr.log").toFile());
    Map<String, String> environment = builder.environment();
    environment.keySet().removeIf(key -> key.endsWith("_URL") || key.startsWith("HEALTH_"));
    environment.put("HTTP_HOST", "127.0.0.1");
    String nowhere = "http://127.0.0.1:" + closedPort + "/health";
    environment.put("WRITER_URL", nowhere);
    environment.put("RESEARCH_URL", nowhere);
    environment.put("BACKEND_URL", nowhere);
    environment.putAll(settings);
    Process process = builder.start();
    started.add(process);
    return process;
  }

  private String stdoutOf() {
    try {
      return Files.readString(workDir.resolve("stdout.log"), StandardCharsets.UTF_8);
    } catch (IOException notYet) {
      return "";
    }
  }

  private String stderrOf() throws IOException {
    return Files.readString(workDir.resolve("stderr.log"), StandardCharsets.UTF_8);
  }

  private static List<String> nonBlankLines(String text) {
    return text.lines().filter(line -> !line.isBlank()).toList();
  }

  private static HttpResponse<String> get(int port, String path) throws Exception {
    return ApiContract.validated(
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    // Generous: a busy machine may take seconds to answer; only a hang fails.
                    .timeout(Duration.ofSeconds(60))
                    .build(),
                HttpResponse.BodyHandlers.ofString()));
  }

  private static HttpResponse<String> awaitHealth(int port) throws Exception {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
            .timeout(Duration.ofSeconds(2))
            .build();
    long giveUpAt = System.currentTimeMillis() + START_DEADLINE_MS;
    while (true) {
      try {
        return ApiContract.validated(client.send(request, HttpResponse.BodyHandlers.ofString()));
      } catch (ConnectException | HttpTimeoutException notYet) {
        // Not listening yet, or too busy to answer within the request's timeout (a loaded
        // machine): either way, only the overall deadline may fail the test.
        if (System.currentTimeMillis() > giveUpAt) {
          throw notYet;
        }
        TimeUnit.MILLISECONDS.sleep(100);
      }
    }
  }

  private static boolean isListening(int port) {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      return true;
    } catch (IOException refused) {
      return false;
    }
  }
}
