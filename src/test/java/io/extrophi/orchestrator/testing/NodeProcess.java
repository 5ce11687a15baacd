package io.extrophi.orchestrator.testing;

import io.extrophi.orchestrator.Main;
import io.extrophi.orchestrator.cluster.TransitionSubscriber;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A JVM started from the test class path on 127.0.0.1: an orchestrator node ({@link Main}) or the
 * example subscriber, with its output in files of its working directory. Bounded: every wait has a
 * deadline, and {@link #kill()} is SIGKILL. Every answer of a node's API is validated against the
 * OpenAPI document ({@link ApiContract}).
 */
public final class NodeProcess {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /** Small and quick to start: several nodes share a test machine. */
  private static final List<String> SMALL_JVM =
      List.of("-Xmx160m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

  private final String name;
  private final Path directory;
  private final int httpPort;
  private final Process process;

  private NodeProcess(String name, Path directory, int httpPort, Process process) {
    this.name = name;
    this.directory = directory;
    this.httpPort = httpPort;
    this.process = process;
  }

  /**
   * Starts an orchestrator node with these environment variables; its API listens on 127.0.0.1 and
   * {@code httpPort} unless they say otherwise.
   */
  public static NodeProcess orchestrator(
      String name, Path directory, int httpPort, Map<String, String> env) throws IOException {
    return orchestrator(name, directory, httpPort, SMALL_JVM, env);
  }

  /**
   * Starts an orchestrator node with the JVM options it ships with ({@code conf/jvm.options}: its
   * heap, its collector), for tests about what the process does with its memory.
   */
  public static NodeProcess orchestratorAsShipped(
      String name, Path directory, int httpPort, Map<String, String> env) throws IOException {
    return orchestrator(
        name,
        directory,
        httpPort,
        List.of("@" + Path.of("conf", "jvm.options").toAbsolutePath()),
        env);
  }

  private static NodeProcess orchestrator(
      String name, Path directory, int httpPort, List<String> jvmOptions, Map<String, String> env)
      throws IOException {
    return start(
        name,
        directory,
        httpPort,
        jvmOptions,
        Main.class.getName(),
        List.of(),
        withApi(httpPort, env));
  }

  /** The API on 127.0.0.1 and the node's port, unless the test's own environment says otherwise. */
  private static Map<String, String> withApi(int httpPort, Map<String, String> env) {
    Map<String, String> withApi = new java.util.HashMap<>();
    withApi.put("HTTP_HOST", "127.0.0.1");
    withApi.put("HTTP_PORT", String.valueOf(httpPort));
    withApi.putAll(env);
    return withApi;
  }

  /** Starts the example subscriber, printing health and circuit transitions. */
  public static NodeProcess subscriber(String name, Path directory, Map<String, String> env)
      throws IOException {
    return start(
        name,
        directory,
        -1,
        SMALL_JVM,
        TransitionSubscriber.class.getName(),
        List.of("--circuits"),
        env);
  }

  /**
   * Runs a tool of the jar ({@code bench.StateFiller}, say) to its end in {@code directory}.
   *
   * @return the exit status
   */
  public static int runTool(
      String name, Path directory, Class<?> mainClass, List<String> args, long deadlineMs)
      throws IOException, InterruptedException {
    return start(name, directory, -1, SMALL_JVM, mainClass.getName(), args, Map.of())
        .awaitExit(deadlineMs);
  }

  private static NodeProcess start(
      String name,
      Path directory,
      int httpPort,
      List<String> jvmOptions,
      String mainClass,
      List<String> args,
      Map<String, String> env)
      throws IOException {
    Files.createDirectories(directory);
    List<String> command =
        new java.util.ArrayList<>(
            List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
    command.addAll(args);
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(directory.toFile())
            .redirectOutput(
                ProcessBuilder.Redirect.appendTo(directory.resolve("stdout.log").toFile()))
            .redirectError(
                ProcessBuilder.Redirect.appendTo(directory.resolve("stderr.log").toFile()));
    Map<String, String> environment = builder.environment();
    environment
        .keySet()
        .removeIf(
            key -> key.endsWith("_URL") || key.startsWith("HEALTH_") || key.startsWith("CLUSTER_"));
    environment.putAll(env);
    return new NodeProcess(name, directory, httpPort, builder.start());
  }

  public String name() {
    return name;
  }

  public int httpPort() {
    return httpPort;
  }

  /** The operating system's process id, as the process itself reports it. */
  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** SIGKILL: no goodbye to the cluster, as when a machine dies. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  /** SIGTERM, then SIGKILL if it has not ended after a while. */
  public void stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      kill();
    }
  }

  /**
   * SIGTERM, as a deployment stops it; waits for the end.
   *
   * @return the exit status
   */
  public int terminate() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      kill();
      throw new AssertionError(name + ": still running 30 s after SIGTERM; killed");
    }
    return process.exitValue();
  }

  /** Waits up to {@code deadlineMs} for the process to end on its own; its exit status. */
  public int awaitExit(long deadlineMs) throws InterruptedException {
    if (!process.waitFor(deadlineMs, TimeUnit.MILLISECONDS)) {
      throw new AssertionError(name + ": still running after " + deadlineMs + " ms");
    }
    return process.exitValue();
  }

  public String stderr() throws IOException {
    Path err = directory.resolve("stderr.log");
    return Files.exists(err) ? Files.readString(err, StandardCharsets.UTF_8) : "";
  }

  public String stdout() throws IOException {
    Path out = directory.resolve("stdout.log");
    return Files.exists(out) ? Files.readString(out, StandardCharsets.UTF_8) : "";
  }

  /** {@code GET path} as JSON, or {@code null} when the node does not answer. */
  public JsonObject get(String path) {
    try {
      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      // An AssertionError, which is no RuntimeException: a violation is not "not answering".
      ApiContract.validated(response);
      return response.statusCode() == 200 ? new JsonObject(response.body()) : null;
    } catch (IOException | RuntimeException notNow) {
      return null;
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** {@code GET /metrics}, read by the strict parser. */
  public PrometheusText metrics() throws IOException, InterruptedException {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/metrics"))
                .timeout(Duration.ofSeconds(5))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new AssertionError(name + ": GET /metrics answered " + response.statusCode());
    }
    return PrometheusText.parse(response.body());
  }

  /** {@code POST path}: the status code and the JSON body. */
  public Map.Entry<Integer, JsonObject> post(String path) throws IOException, InterruptedException {
    HttpResponse<String> response =
        ApiContract.validated(
            HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                    .POST(HttpRequest.BodyPublishers.noBody())
                    .timeout(Duration.ofSeconds(15))
                    .build(),
                HttpResponse.BodyHandlers.ofString()));
    return Map.entry(response.statusCode(), new JsonObject(response.body()));
  }

  /** Polls {@code path} until the answer satisfies {@code condition}; the last answer, or fails. */
  public JsonObject await(
      String path, Predicate<JsonObject> condition, long deadlineMs, String what)
      throws InterruptedException, IOException {
    long giveUpAt = System.currentTimeMillis() + deadlineMs;
    JsonObject last = null;
    while (System.currentTimeMillis() < giveUpAt) {
      last = get(path);
      if (last != null && condition.test(last)) {
        return last;
      }
      if (!process.isAlive()) {
        break;
      }
      TimeUnit.MILLISECONDS.sleep(200);
    }
    throw new AssertionError(
        name
            + ": "
            + what
            + " not reached within "
            + deadlineMs
            + " ms; last answer "
            + last
            + (process.isAlive() ? "" : " (process exited " + process.exitValue() + ")")
            + "\n--- stdout tail ---\n"
            + tail(stdout()));
  }

  public static String tail(String text) {
    List<String> lines = text.lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }

  public static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
