package io.extrophi.orchestrator.cluster;

import io.extrophi.orchestrator.config.ConfigKeys;
import io.extrophi.orchestrator.config.InvalidConfigException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * How a node joins the cluster, from environment variables (and {@code .env}): they decide how
 * Vert.x itself starts, so they are read before it, not through the configuration files. Anything
 * not set here comes from the Hazelcast file ({@code conf/cluster.xml}).
 *
 * @param enabled whether to start clustered ({@code CLUSTER_ENABLED}; {@code --cluster} also does)
 * @param configFile the Hazelcast XML file; {@code null} for the default ({@code conf/cluster.xml}
 *     when it exists, else the copy in the jar)
 * @param name the cluster name: nodes only join a cluster of the same name
 * @param host the address this node binds and announces, for Hazelcast and the event bus
 * @param port the Hazelcast member port; {@code null} for the file's (5701, counting up when taken)
 * @param members the other nodes, {@code host} or {@code host:port}; empty for the file's
 * @param eventBusPort the port of the event bus between nodes; 0 for any free one
 * @param quorum the fewest live orchestrator nodes with which a node keeps probing
 */
public record ClusterSettings(
    boolean enabled,
    String configFile,
    String name,
    String host,
    Integer port,
    List<String> members,
    int eventBusPort,
    int quorum) {

  public static final String DEFAULT_NAME = "orchestrator";
  private static final Pattern MEMBER = Pattern.compile("[A-Za-z0-9._\\-\\[\\]:]+(:\\d{1,5})?");

  public ClusterSettings {
    members = List.copyOf(members);
  }

  /**
   * Reads the settings; process environment variables win over {@code .env} entries.
   *
   * @throws InvalidConfigException naming the key, the value and the rule of a bad value
   */
  public static ClusterSettings from(Map<String, String> environment, Map<String, String> dotEnv) {
    Reader in = new Reader(environment, dotEnv);
    boolean enabled = in.flag(ConfigKeys.CLUSTER_ENABLED);
    String file = in.text(ConfigKeys.CLUSTER_CONFIG);
    String name = in.text(ConfigKeys.CLUSTER_NAME);
    if (name != null && !name.matches("[A-Za-z0-9._-]{1,64}")) {
      throw in.invalid(ConfigKeys.CLUSTER_NAME, "must be 1 to 64 letters, digits, '.', '_' or '-'");
    }
    String host = in.text(ConfigKeys.CLUSTER_HOST);
    if (host != null && !MEMBER.matcher(host).matches()) {
      throw in.invalid(ConfigKeys.CLUSTER_HOST, "must be a host name or an IP address");
    }
    Integer port = in.port(ConfigKeys.CLUSTER_PORT, 1);
    List<String> members = new ArrayList<>();
    String memberList = in.text(ConfigKeys.CLUSTER_MEMBERS);
    if (memberList != null) {
      for (String member : memberList.split(",")) {
        String trimmed = member.trim();
        if (trimmed.isEmpty() || !MEMBER.matcher(trimmed).matches()) {
          throw in.invalid(
              ConfigKeys.CLUSTER_MEMBERS,
              "must be a comma-separated list of host or host:port entries");
        }
        members.add(trimmed);
      }
    }
    Integer eventBusPort = in.port(ConfigKeys.CLUSTER_EVENTBUS_PORT, 0);
    Integer quorum =
        in.number(ConfigKeys.CLUSTER_QUORUM, 1, 1_000, "must be a whole number from 1");
    return new ClusterSettings(
        enabled,
        file,
        name == null ? DEFAULT_NAME : name,
        host,
        port,
        members,
        eventBusPort == null ? 0 : eventBusPort,
        quorum == null ? 1 : quorum);
  }

  /** {@code CLUSTER_*} values, each with where it came from for the error message. */
  private static final class Reader {
    private final Map<String, String> environment;
    private final Map<String, String> dotEnv;

    Reader(Map<String, String> environment, Map<String, String> dotEnv) {
      this.environment = environment;
      this.dotEnv = dotEnv;
    }

    String text(String key) {
      String value = raw(key);
      return value == null || value.isBlank() ? null : value.trim();
    }

    boolean flag(String key) {
      String value = text(key);
      if (value == null || value.equalsIgnoreCase("false")) {
        return false;
      }
      if (value.equalsIgnoreCase("true")) {
        return true;
      }
      throw invalid(key, "must be true or false");
    }

    Integer port(String key, int lowest) {
      return number(key, lowest, 65_535, "must be a port number from " + lowest + " to 65535");
    }

    Integer number(String key, int lowest, int highest, String rule) {
      String value = text(key);
      if (value == null) {
        return null;
      }
      if (!value.matches("\\d{1,7}")
          || Integer.parseInt(value) < lowest
          || Integer.parseInt(value) > highest) {
        throw invalid(key, rule);
      }
      return Integer.parseInt(value);
    }

    InvalidConfigException invalid(String key, String rule) {
      String source = environment.containsKey(key) ? "environment" : ".env";
      return new InvalidConfigException(key, raw(key), rule, source);
    }

    private String raw(String key) {
      String value = environment.get(key);
      return value != null ? value : dotEnv.get(key);
    }
  }
}
