package io.extrophi.orchestrator.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.XmlConfigBuilder;
import io.extrophi.orchestrator.config.ConfigKeys;
import io.extrophi.orchestrator.config.InvalidConfigException;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Builds the Hazelcast cluster manager of a node from the Hazelcast file and {@link
 * ClusterSettings}: the file gives the defaults, the environment overrides name, address, port and
 * member list, and every node says what it is (see {@link #ROLE_ATTRIBUTE}) so that only
 * orchestrators share the probing.
 */
public final class HazelcastSetup {

  /** The member attribute that tells orchestrator nodes from other members (subscribers). */
  public static final String ROLE_ATTRIBUTE = "orchestrator.role";

  /** {@link #ROLE_ATTRIBUTE} of a node that probes. */
  public static final String ORCHESTRATOR_ROLE = "orchestrator";

  /** {@link #ROLE_ATTRIBUTE} of a member that only listens, such as the example subscriber. */
  public static final String SUBSCRIBER_ROLE = "subscriber";

  /**
   * The member attribute of an orchestrator node that enters {@link #PROBING_MAP} once it probes:
   * until then the other nodes do not count it. A node of an earlier version, without it, counts
   * from the moment it joins, as it always did.
   */
  public static final String ANNOUNCES_PROBING_ATTRIBUTE = "orchestrator.announces-probing";

  /**
   * The orchestrator nodes that probe, by member id: a node enters it after it copied the state of
   * the cluster, so that the nodes already there go on probing its share meanwhile. Replicated to
   * every member, so that reading it is local.
   */
  public static final String PROBING_MAP = "orchestrator.probing";

  static final String DEFAULT_FILE = "conf/cluster.xml";
  private static final String BUNDLED_FILE = "cluster.xml";

  private HazelcastSetup() {}

  /**
   * @param role {@link #ORCHESTRATOR_ROLE}, or {@link #SUBSCRIBER_ROLE} for a lite member that
   *     holds no cluster data and probes nothing
   * @throws InvalidConfigException when the Hazelcast file is missing or unreadable
   */
  public static HazelcastClusterManager clusterManager(ClusterSettings settings, String role) {
    return new QuietAddressClusterManager(config(settings, role));
  }

  static Config config(ClusterSettings settings, String role) {
    Config config = load(settings.configFile());
    config.setClusterName(settings.name());
    NetworkConfig network = config.getNetworkConfig();
    if (settings.host() != null) {
      config.setProperty("hazelcast.local.localAddress", settings.host());
    }
    if (settings.port() != null) {
      network.setPort(settings.port()).setPortAutoIncrement(false);
    }
    JoinConfig join = network.getJoin();
    if (!settings.members().isEmpty()) {
      join.getMulticastConfig().setEnabled(false);
      join.getAutoDetectionConfig().setEnabled(false);
      join.getTcpIpConfig().setEnabled(true).setMembers(settings.members());
    }
    // Whatever the file says: a node never calls home.
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.getMemberAttributeConfig().setAttribute(ROLE_ATTRIBUTE, role);
    if (ORCHESTRATOR_ROLE.equals(role)) {
      config.getMemberAttributeConfig().setAttribute(ANNOUNCES_PROBING_ATTRIBUTE, "true");
    }
    // A node that has just joined reads the map only once it holds what the others put in it: a
    // node that read it empty would take the others for not probing and copy no state.
    config.getReplicatedMapConfig(PROBING_MAP).setAsyncFillup(false);
    config.setLiteMember(!ORCHESTRATOR_ROLE.equals(role));
    return config;
  }

  private static Config load(String file) {
    String chosen = file != null ? file : DEFAULT_FILE;
    Path path = Path.of(chosen);
    if (Files.isRegularFile(path)) {
      try (InputStream in = Files.newInputStream(path)) {
        return new XmlConfigBuilder(in).build();
      } catch (IOException | RuntimeException unreadable) {
        throw new InvalidConfigException(
            ConfigKeys.CLUSTER_CONFIG,
            chosen,
            "must name a readable Hazelcast XML file (" + unreadable.getMessage() + ")",
            null);
      }
    }
    if (file != null) {
      throw new InvalidConfigException(
          ConfigKeys.CLUSTER_CONFIG, file, "must name an existing Hazelcast XML file", null);
    }
    try (InputStream in = HazelcastSetup.class.getResourceAsStream(BUNDLED_FILE)) {
      if (in == null) {
        throw new IllegalStateException("the jar has no " + BUNDLED_FILE);
      }
      return new XmlConfigBuilder(in).build();
    } catch (IOException unreadable) {
      throw new UncheckedIOException(unreadable);
    }
  }
}
