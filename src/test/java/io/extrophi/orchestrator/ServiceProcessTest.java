package io.extrophi.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.testing.ApiClient;
import io.extrophi.orchestrator.testing.ApiContract;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service as an operator runs it: a separate JVM started through {@link Main}, configured by
 * environment variables, stopped by SIGTERM. The working directory is empty, so no {@code conf/} or
 * {@code .env} of the developer's checkout leaks in.
 */
class ServiceProcessTest {

  private static final long START_DEADLINE_MS = 30_000;

  @TempDir Path workDir;

  private final List<Process> started = new ArrayList<>();

  @AfterEach
  void killLeftovers() {
    started.forEach(Process::destroyForcibly);
  }

  @Test
  void servesTheApiThenExitsCleanlyOnSigterm() throws Exception {
    int port = freePort();
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
    int port = freePort();
    Path servicesFile = workDir.resolve("services.yaml");
    String nowhere = "http://127.0.0.1:" + freePort() + "/health";
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
  void anInvalidValueStopsStartupWithOneLineNamingKeyValueAndRule() throws Exception {
    int port = freePort();
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
    int port = freePort();
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
    int port = freePort();
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
    int port = freePort();
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
      int port = freePort();
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

  private Process start(Map<String, String> settings, int port) throws IOException {
    return start(settings, List.of());
  }

  /**
   * @param launcher what runs the JVM, e.g. {@code prlimit} with its options; empty for none
   */
  private Process start(Map<String, String> settings, List<String> launcher) throws IOException {
    int closedPort = freePort();
    List<String> command = new ArrayList<>(launcher);
    command.addAll(
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            System.getProperty("java.class.path"),
            Main.class.getName()));
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

  @Test
  void twoThousandConnectionsAtAnOpenFilesLimitOf1024StopNeitherHealthNorProbesNorTheState()
      throws Exception {
    int port = freePort();
    start(
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
        List.of("prlimit", "--nofile=1024:1024"));
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
    int port = freePort();
    start(Map.of("HTTP_PORT", String.valueOf(port)), List.of("prlimit", "--nofile=400:400"));
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
                    .timeout(Duration.ofSeconds(30))
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
      } catch (ConnectException notYet) {
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

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
