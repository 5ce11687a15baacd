package io.extrophi.orchestrator.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The orchestrator processes ({@link NodeProcess}) one test starts on 127.0.0.1, in a directory of
 * their own under {@code target/}, where their logs stay after a failure; every one still running
 * when the test ends is killed. Register it as a field:
 *
 * <pre>{@code
 * @RegisterExtension final LocalNodes nodes = new LocalNodes("cluster-test");
 * ...
 * LocalNodes.Cluster cluster = nodes.cluster(2, "copy");
 * NodeProcess first = nodes.start("node0", cluster.env(0));
 * }</pre>
 */
public final class LocalNodes implements AfterEachCallback {

  private final String kind;

  /** Tests may start nodes from several threads at once. */
  private final List<NodeProcess> started = new CopyOnWriteArrayList<>();

  private Path workDir;

  /**
   * @param kind the folder under {@code target/} that holds the runs of this kind of test
   */
  public LocalNodes(String kind) {
    this.kind = kind;
  }

  /** This test's directory, {@code target/<kind>/<start time>}, made on first use. */
  public synchronized Path workDir() throws IOException {
    if (workDir == null) {
      workDir =
          Files.createDirectories(
                  Path.of("target", kind, Long.toString(System.currentTimeMillis())))
              .toAbsolutePath();
    }
    return workDir;
  }

  /** Starts an orchestrator node named {@code name} in {@code workDir()/name}, on a free port. */
  public NodeProcess start(String name, Map<String, String> env) throws IOException {
    return start(name, workDir().resolve(name), env);
  }

  /** Starts an orchestrator node in {@code directory} (a restart: the same directory again). */
  public NodeProcess start(String name, Path directory, Map<String, String> env)
      throws IOException {
    return track(NodeProcess.orchestrator(name, directory, NodeProcess.freePort(), env));
  }

  /** Starts the example subscriber in {@code workDir()/name}. */
  public NodeProcess subscriber(String name, Map<String, String> env) throws IOException {
    return track(NodeProcess.subscriber(name, workDir().resolve(name), env));
  }

  /** Keeps {@code node}, started otherwise, to kill it when the test ends. */
  public NodeProcess track(NodeProcess node) {
    started.add(node);
    return node;
  }

  /** A cluster of {@code size} members on free ports, named {@code prefix} and a fresh suffix. */
  public Cluster cluster(int size, String prefix) throws IOException {
    List<Integer> ports = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      ports.add(NodeProcess.freePort());
    }
    return new Cluster(prefix + "-" + Long.toHexString(System.nanoTime()), ports);
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    for (NodeProcess node : started) {
      node.kill();
    }
  }

  /** A cluster's name and its members' ports on 127.0.0.1, TCP/IP member list. */
  public record Cluster(String name, List<Integer> ports) {

    /** {@code 127.0.0.1:port,...} of every member. */
    public String members() {
      return ports.stream().map(port -> "127.0.0.1:" + port).collect(Collectors.joining(","));
    }

    /** The environment of member {@code index}, to which a test adds its own settings. */
    public Map<String, String> env(int index) {
      return envOn(ports.get(index));
    }

    /** The environment of a subscriber, which joins the cluster on a port of its own. */
    public Map<String, String> subscriberEnv() throws IOException {
      return envOn(NodeProcess.freePort());
    }

    /** Cluster mode on 127.0.0.1 and {@code port}, with logging at INFO. */
    private Map<String, String> envOn(int port) {
      Map<String, String> env = new HashMap<>();
      env.put("CLUSTER_ENABLED", "true");
      env.put("CLUSTER_NAME", name);
      env.put("CLUSTER_HOST", "127.0.0.1");
      env.put("CLUSTER_PORT", String.valueOf(port));
      env.put("CLUSTER_MEMBERS", members());
      env.put("LOG_LEVEL", "INFO");
      return env;
    }
  }
}
