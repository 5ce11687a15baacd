package io.extrophi.orchestrator;

import static io.extrophi.orchestrator.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.alert.WebhookReceiver;
import io.extrophi.orchestrator.testing.ApiClient;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
    Process process =
        start(Map.of("HTTP_PORT", String.valueOf(port), "STATE_FLUSH_INTERVAL", "600"), port);
    HttpResponse<String> health = awaitHealth(port);
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).isEqualTo("{\"status\":\"ok\",\"service\":\"orchestrator\"}");

    process.destroy(); // SIGTERM
    assertThat(process.waitFor(15, TimeUnit.SECONDS)).as("exited after SIGTERM").isTrue();
    assertThat(process.exitValue()).isIn(0, 143);
    assertThat(isListening(port)).isFalse();
    assertThat(Files.size(workDir.resolve("data").resolve("state.bin"))).isPositive();
    assertThat(Files.readString(workDir.resolve("stdout.log"))).doesNotContain("could not write");
  }

  @Test
  void sighupReloadsTheServicesFile() throws Exception {
    int port = NodeProcess.freePort();
    Path servicesFile = workDir.resolve("services.yaml");
    String nowhere = "http://127.0.0.1:" + NodeProcess.freePort() + "/health";
    Files.writeString(servicesFile, "services:\n  - name: alpha\n    url: " + nowhere + "\n");
    Process process =
        start(
            Map.of(
                "HTTP_PORT", String.valueOf(port),
                "SERVICES_FILE", servicesFile.toString(),
                // Only the signal may notice the edit within this test.
                "CONFIG_RELOAD_INTERVAL", "3600"),
            port);
    awaitHealth(port);
    Files.writeString(
        servicesFile,
        "services:\n  - name: alpha\n    url: "
            + nowhere
            + "\n  - name: beta\n    url: "
            + nowhere
            + "\n");
    new ProcessBuilder("kill", "-HUP", String.valueOf(process.pid())).start().waitFor();
    long giveUpAt = System.currentTimeMillis() + START_DEADLINE_MS;
    String status = "";
    while (!status.contains("\"beta\"") && System.currentTimeMillis() < giveUpAt) {
      TimeUnit.MILLISECONDS.sleep(100);
      status = get(port, "/health/status").body();
    }
    assertThat(status).contains("\"alpha\"").contains("\"beta\"");
    assertThat(process.isAlive()).isTrue();
  }

  @Test
  void aSighupDuringStartupIsQueuedNotFatal() throws Exception {
    int port = NodeProcess.freePort();
    Process process = start(Map.of("HTTP_PORT", String.valueOf(port)), port);
    // The first line the process prints comes after its main method began (the earliest moment a
    // Java program can take a signal over) and long before the API listens: before the fix, the
    // JVM's own handler ended the process there with status 129.
    Await.until(() -> !stdoutOf().isBlank() || !process.isAlive(), START_DEADLINE_MS);
    new ProcessBuilder("kill", "-HUP", String.valueOf(process.pid())).start().waitFor();
    new ProcessBuilder("kill", "-HUP", String.valueOf(process.pid())).start().waitFor();

    assertThat(awaitHealth(port).statusCode()).isEqualTo(200);
    assertThat(process.isAlive()).as("alive after SIGHUP during start-up").isTrue();
    // Queued during start-up and honoured once started, or (on a fast machine) handled at once.
    Await.until(
        () ->
            stdoutOf().contains("reloading the configuration for the SIGHUP received during")
                || stdoutOf().contains("SIGHUP received: reloading the configuration"),
        START_DEADLINE_MS);
    process.destroy();
    assertThat(process.waitFor(15, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isIn(0, 143);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "\n"})
  void aSetButBlankApiTokenStopsStartupNamingTheKey(String blank) throws Exception {
    int port = NodeProcess.freePort();
    Process process =
        start(Map.of("HTTP_PORT", String.valueOf(port), "ORCHESTRATOR_API_TOKEN", blank), port);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(Main.EXIT_INVALID_CONFIG);
    List<String> errorLines = nonBlankLines(stderrOf(process));
    assertThat(errorLines).hasSize(1);
    assertThat(errorLines.get(0))
        .contains("ORCHESTRATOR_API_TOKEN")
        .contains("set but blank")
        .contains("unset");
    assertThat(isListening(port)).isFalse();
  }

  @Test
  void anUnknownOptionGetsOurUsageOnce() throws Exception {
    Process process = start(Map.of(), List.of("--dmeo"));
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(Main.EXIT_USAGE);
    String error = stderrOf(process);
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
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isZero();
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
  void anInvalidValueStopsStartupWithOneLineNamingKeyValueAndRule() throws Exception {
    int port = NodeProcess.freePort();
    Process process =
        start(Map.of("HTTP_PORT", String.valueOf(port), "HEALTH_CHECK_INTERVAL", "abc"), port);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(Main.EXIT_INVALID_CONFIG);
    List<String> errorLines = nonBlankLines(stderrOf(process));
    assertThat(errorLines).hasSize(1);
    assertThat(errorLines.get(0))
        .contains("HEALTH_CHECK_INTERVAL")
        .contains("\"abc\"")
        .contains("must be a positive number of seconds")
        .doesNotContain("Exception");
    assertThat(isListening(port)).isFalse();
  }

  @Test
  void anInvalidServicesFileStopsStartupNamingFileLineAndKey() throws Exception {
    int port = NodeProcess.freePort();
    Path servicesFile = workDir.resolve("services.yaml");
    Files.writeString(
        servicesFile,
        "services:\n  - name: alpha\n    url: http://127.0.0.1:1/health\n    timeout: -1\n");
    Process process =
        start(
            Map.of("HTTP_PORT", String.valueOf(port), "SERVICES_FILE", servicesFile.toString()),
            port);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(Main.EXIT_INVALID_CONFIG);
    List<String> errorLines = nonBlankLines(stderrOf(process));
    assertThat(errorLines).hasSize(1);
    assertThat(errorLines.get(0))
        .contains("services[0].timeout=\"-1\"")
        .contains(servicesFile + " line 4")
        .contains("must be a positive number of seconds");
    assertThat(isListening(port)).isFalse();
  }

  @Test
  void anOccupiedPortStopsStartupWithOneLine() throws Exception {
    try (ServerSocket occupied = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = occupied.getLocalPort();
      Process process = start(Map.of("HTTP_PORT", String.valueOf(port)), port);
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(process.exitValue()).isEqualTo(Main.EXIT_PORT_UNAVAILABLE);
      List<String> errorLines = nonBlankLines(stderrOf(process));
      assertThat(errorLines).hasSize(1);
      assertThat(errorLines.get(0))
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
    int port = NodeProcess.freePort();
    Process process = start(Map.of("HTTP_PORT", String.valueOf(port), "DATA_DIR", "data"), port);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(Main.EXIT_STATE_UNREADABLE);
    List<String> errorLines = nonBlankLines(stderrOf(process));
    assertThat(errorLines).hasSize(1);
    assertThat(errorLines.get(0))
        .startsWith("orchestrator: cannot read the state file data/state.bin (")
        .contains("left untouched");
    assertThat(Files.isDirectory(data.resolve("state.bin"))).isTrue();
  }

  @Test
  void aBadClusterSettingStopsStartupWithOneLine() throws Exception {
    int port = NodeProcess.freePort();
    Process process =
        start(
            Map.of(
                "HTTP_PORT", String.valueOf(port), "CLUSTER_ENABLED", "true", "CLUSTER_PORT", "x"),
            port);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(Main.EXIT_INVALID_CONFIG);
    List<String> errorLines = nonBlankLines(stderrOf(process));
    assertThat(errorLines).hasSize(1);
    assertThat(errorLines.get(0))
        .contains("CLUSTER_PORT=\"x\"")
        .contains("must be a port number from 1 to 65535");
  }

  @Test
  void aClusterPortInUseStopsStartupWithOneLine() throws Exception {
    try (ServerSocket occupied = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = NodeProcess.freePort();
      int clusterPort = occupied.getLocalPort();
      Process process =
          start(
              Map.of(
                  "HTTP_PORT",
                  String.valueOf(port),
                  "CLUSTER_ENABLED",
                  "true",
                  "CLUSTER_NAME",
                  "occupied-" + clusterPort,
                  "CLUSTER_HOST",
                  "127.0.0.1",
                  "CLUSTER_PORT",
                  String.valueOf(clusterPort),
                  "CLUSTER_MEMBERS",
                  "127.0.0.1:" + clusterPort),
              port);
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(process.exitValue()).isEqualTo(Main.EXIT_CLUSTER_UNAVAILABLE);
      assertThat(nonBlankLines(stderrOf(process)))
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
            "HTTP_PORT", String.valueOf(port),
            // One failure opens a circuit, which then stays open for the whole test.
            "CIRCUIT_BREAKER_THRESHOLD", "1",
            "CIRCUIT_BREAKER_RESET_TIMEOUT", "300",
            "HEALTH_CHECK_INTERVAL", "600",
            // Generous: on a loaded machine a healthy target must not time out here.
            "HEALTH_CHECK_TIMEOUT", "60");
    Process broken = start(settings, port);
    awaitHealth(port);
    awaitServiceHealth(port, "writer", "circuit_open");
    broken.destroy(); // SIGTERM
    assertThat(broken.waitFor(15, TimeUnit.SECONDS)).as("exited after SIGTERM").isTrue();

    Vertx vertx = Vertx.vertx();
    try {
      TargetServer target = await(TargetServer.start(vertx));
      Map<String, String> fixed = new HashMap<>(settings);
      fixed.put("WRITER_URL", target.url());
      start(fixed, port);
      awaitHealth(port);
      JsonObject writer = awaitServiceHealth(port, "writer", "healthy");

      assertThat(writer.getString("circuit_breaker_state")).isEqualTo("closed");
      // Statistics are kept by name, as after a reload: the old check's failure and the new one.
      assertThat(writer.getLong("total_checks")).isEqualTo(2);
      assertThat(writer.getLong("successful_checks")).isEqualTo(1);
      assertThat(target.requests()).isEqualTo(1);
      // A service whose check did not change continues its circuit.
      assertThat(serviceStatus(port, "research").getString("health")).isEqualTo("circuit_open");
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
              "HTTP_PORT", String.valueOf(port),
              "SERVICES_FILE", servicesFile.toString(),
              "MAX_IN_FLIGHT_PROBES", "4",
              "ALERT_WEBHOOK", receiver.url("/hook"),
              "STATE_FLUSH_INTERVAL", "600");
      Process process = start(settings, port);
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

      process.destroy(); // SIGTERM
      assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("exited after SIGTERM").isTrue();
      String log = Files.readString(workDir.resolve("stdout.log"));
      List<String> stopLines =
          log.lines().filter(line -> line.contains("probing stopped")).toList();
      assertThat(stopLines).hasSize(1);
      assertThat(stopLines.get(0))
          .contains("4 probes in flight abandoned without a result, 8 waiting checks dropped");
      assertThat(log).doesNotContain("unhealthy").doesNotContain("Client is closed");

      // The saved state, read back by a restart that probes once more.
      target.respondWith(200);
      start(settings, port);
      awaitHealth(port);
      for (int i = 0; i < fleet; i++) {
        String name = "s" + i;
        Await.until(() -> totalChecksOf(port, name) >= 2, START_DEADLINE_MS);
        JsonObject after = serviceStatus(port, name);
        assertThat(after.getLong("total_checks")).as(name).isEqualTo(2);
        assertThat(after.getLong("successful_checks")).as(name).isEqualTo(2);
      }
      assertThat(receiver.requests()).isEmpty();
    } finally {
      await(vertx.close());
    }
  }

  /** Polls {@code GET /health/status/{name}} until the service has that health. */
  private static JsonObject awaitServiceHealth(int port, String name, String health)
      throws Exception {
    long giveUpAt = System.currentTimeMillis() + START_DEADLINE_MS;
    while (true) {
      JsonObject status;
      try {
        status = serviceStatus(port, name);
      } catch (IOException notAnswering) {
        status = new JsonObject().put("error", notAnswering.toString());
      }
      if (health.equals(status.getString("health"))) {
        return status;
      }
      if (System.currentTimeMillis() > giveUpAt) {
        throw new AssertionError(name + " did not become " + health + ": " + status.encode());
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
  }

  private static JsonObject serviceStatus(int port, String name) throws Exception {
    return new JsonObject(get(port, "/health/status/" + name).body());
  }

  private static long totalChecksOf(int port, String name) {
    try {
      return serviceStatus(port, name).getLong("total_checks");
    } catch (Exception notAnswering) {
      return -1;
    }
  }

  private Process start(Map<String, String> settings, int port) throws IOException {
    return start(settings, List.of());
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
      long checksDuringFlood = totalChecks(port);
      FileTime floodEnded = FileTime.fromMillis(System.currentTimeMillis());
      long giveUpAt = System.currentTimeMillis() + START_DEADLINE_MS;
      while ((totalChecks(port) <= checksDuringFlood
              || !Files.exists(state)
              || Files.getLastModifiedTime(state).compareTo(floodEnded) <= 0)
          && System.currentTimeMillis() < giveUpAt) {
        TimeUnit.MILLISECONDS.sleep(200);
      }
      assertThat(totalChecks(port)).as("probes go on").isGreaterThan(checksDuringFlood);
      assertThat(Files.getLastModifiedTime(state))
          .as("state written after the flood")
          .isGreaterThan(floodEnded);
    } finally {
      for (Socket socket : held) {
        socket.close();
      }
    }
    assertThat(Files.readString(workDir.resolve("stdout.log")))
        .doesNotContain("Too many open files")
        .doesNotContain("could not write");
  }

  @Test
  void anOpenFilesLimitTooLowForTheConnectionCapIsWarnedAboutAtStartup() throws Exception {
    int port = NodeProcess.freePort();
    startUnder(
        List.of("prlimit", "--nofile=400:400"),
        Map.of("HTTP_PORT", String.valueOf(port)),
        List.of());
    assertThat(awaitHealth(port).statusCode()).isEqualTo(200);
    assertThat(Files.readString(workDir.resolve("stdout.log")))
        .contains("The open-files limit is 400 but up to 643 descriptors may be needed");
  }

  private static long totalChecks(int port) throws Exception {
    return ApiClient.totalChecks(new JsonObject(get(port, "/health/status").body()), "writer");
  }

  private String stderrOf(Process process) throws IOException {
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
