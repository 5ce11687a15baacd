package io.extrophi.orchestrator.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.config.Config;
import io.extrophi.orchestrator.config.InvalidConfigException;
import io.extrophi.orchestrator.testing.UnitTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@UnitTest
class HazelcastSetupTest {

  @TempDir Path dir;

  @Test
  void theBundledFileJoinsByTcpIpOnLoopbackAndNeverCallsHome() {
    Config config =
        HazelcastSetup.config(
            settings(Map.of("CLUSTER_CONFIG", bundledCopy().toString())),
            HazelcastSetup.ORCHESTRATOR_ROLE);
    assertThat(config.getClusterName()).isEqualTo("orchestrator");
    assertThat(config.getNetworkConfig().getJoin().getMulticastConfig().isEnabled()).isFalse();
    assertThat(config.getNetworkConfig().getJoin().getTcpIpConfig().isEnabled()).isTrue();
    assertThat(config.getNetworkConfig().getJoin().getTcpIpConfig().getMembers())
        .containsExactly("127.0.0.1")
        // What Hazelcast's TCP/IP joiner can read: a host, or host:port (no port ranges).
        .allMatch(member -> member.matches("[^:]+(:\\d+)?"));
    assertThat(config.getProperty("hazelcast.phone.home.enabled")).isEqualTo("false");
    assertThat(config.getProperty("hazelcast.local.localAddress")).isEqualTo("127.0.0.1");
    assertThat(config.getMemberAttributeConfig().getAttributes())
        .containsEntry(HazelcastSetup.ROLE_ATTRIBUTE, HazelcastSetup.ORCHESTRATOR_ROLE);
    assertThat(config.isLiteMember()).isFalse();
    assertThat(config.getMultiMapConfigs()).containsKey("__vertx.subs");
  }

  @Test
  void environmentVariablesOverrideNameAddressPortAndMembers() {
    Config config =
        HazelcastSetup.config(
            settings(
                Map.of(
                    "CLUSTER_CONFIG", bundledCopy().toString(),
                    "CLUSTER_NAME", "staging",
                    "CLUSTER_HOST", "10.1.2.3",
                    "CLUSTER_PORT", "6000",
                    "CLUSTER_MEMBERS", "10.1.2.3:6000,10.1.2.4:6000")),
            HazelcastSetup.SUBSCRIBER_ROLE);
    assertThat(config.getClusterName()).isEqualTo("staging");
    assertThat(config.getProperty("hazelcast.local.localAddress")).isEqualTo("10.1.2.3");
    assertThat(config.getNetworkConfig().getPort()).isEqualTo(6000);
    assertThat(config.getNetworkConfig().isPortAutoIncrement()).isFalse();
    assertThat(config.getNetworkConfig().getJoin().getTcpIpConfig().getMembers())
        .isEqualTo(List.of("10.1.2.3:6000", "10.1.2.4:6000"));
    assertThat(config.isLiteMember()).as("a subscriber holds no cluster data").isTrue();
  }

  @Test
  void withoutAConfDirectoryTheCopyInTheJarIsUsed() {
    // The tests run in the project directory, whose conf/cluster.xml is the same file.
    Config config =
        HazelcastSetup.config(
            ClusterSettings.from(Map.of(), Map.of()), HazelcastSetup.ORCHESTRATOR_ROLE);
    assertThat(config.getNetworkConfig().getJoin().getTcpIpConfig().isEnabled()).isTrue();
    assertThat(HazelcastSetup.class.getResource("cluster.xml")).isNotNull();
  }

  @Test
  void aMissingOrBrokenFileIsAConfigurationError() throws Exception {
    assertThatThrownBy(
            () ->
                HazelcastSetup.config(
                    settings(Map.of("CLUSTER_CONFIG", dir.resolve("none.xml").toString())),
                    HazelcastSetup.ORCHESTRATOR_ROLE))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("CLUSTER_CONFIG=")
        .hasMessageContaining("existing Hazelcast XML file");
    Path broken = Files.writeString(dir.resolve("broken.xml"), "<hazelcast><network>");
    assertThatThrownBy(
            () ->
                HazelcastSetup.config(
                    settings(Map.of("CLUSTER_CONFIG", broken.toString())),
                    HazelcastSetup.ORCHESTRATOR_ROLE))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("readable Hazelcast XML file");
  }

  private Path bundledCopy() {
    try (var in = HazelcastSetup.class.getResourceAsStream("cluster.xml")) {
      Path copy = dir.resolve("cluster.xml");
      Files.write(copy, in.readAllBytes());
      return copy;
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static ClusterSettings settings(Map<String, String> env) {
    return ClusterSettings.from(env, Map.of());
  }
}
