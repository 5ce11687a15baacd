package io.extrophi.orchestrator.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.extrophi.orchestrator.config.InvalidConfigException;
import io.extrophi.orchestrator.testing.UnitTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@UnitTest
class ClusterSettingsTest {

  @Test
  void defaultsLeaveEverythingToTheHazelcastFile() {
    ClusterSettings settings = ClusterSettings.from(Map.of(), Map.of());
    assertThat(settings.enabled()).isFalse();
    assertThat(settings.configFile()).isNull();
    assertThat(settings.name()).isEqualTo("orchestrator");
    assertThat(settings.host()).isNull();
    assertThat(settings.port()).isNull();
    assertThat(settings.members()).isEmpty();
    assertThat(settings.eventBusPort()).isZero();
    assertThat(settings.quorum()).isEqualTo(1);
  }

  @Test
  void readsEveryVariableAndTheEnvironmentWinsOverDotEnv() {
    ClusterSettings settings =
        ClusterSettings.from(
            Map.of(
                "CLUSTER_ENABLED", "TRUE",
                "CLUSTER_NAME", "prod-eu",
                "CLUSTER_HOST", "10.0.0.5",
                "CLUSTER_PORT", "5801",
                "CLUSTER_MEMBERS", " 10.0.0.5:5801, orchestrator-1.svc ,[::1]:5701",
                "CLUSTER_EVENTBUS_PORT", "5802",
                "CLUSTER_QUORUM", "2"),
            Map.of("CLUSTER_QUORUM", "3", "CLUSTER_CONFIG", "conf/other.xml"));
    assertThat(settings.enabled()).isTrue();
    assertThat(settings.configFile()).isEqualTo("conf/other.xml");
    assertThat(settings.name()).isEqualTo("prod-eu");
    assertThat(settings.host()).isEqualTo("10.0.0.5");
    assertThat(settings.port()).isEqualTo(5801);
    assertThat(settings.members())
        .isEqualTo(List.of("10.0.0.5:5801", "orchestrator-1.svc", "[::1]:5701"));
    assertThat(settings.eventBusPort()).isEqualTo(5802);
    assertThat(settings.quorum()).isEqualTo(2);
  }

  @Test
  void aBadValueNamesTheKeyTheValueItsSourceAndTheRule() {
    assertInvalid(Map.of("CLUSTER_PORT", "abc"), "CLUSTER_PORT=\"abc\"", "port number");
    assertInvalid(Map.of("CLUSTER_PORT", "0"), "CLUSTER_PORT=\"0\"", "from 1 to 65535");
    assertInvalid(Map.of("CLUSTER_PORT", "70000"), "CLUSTER_PORT=\"70000\"", "65535");
    assertInvalid(Map.of("CLUSTER_ENABLED", "yes"), "CLUSTER_ENABLED=\"yes\"", "true or false");
    assertInvalid(Map.of("CLUSTER_QUORUM", "0"), "CLUSTER_QUORUM=\"0\"", "whole number from 1");
    assertInvalid(Map.of("CLUSTER_NAME", "a b"), "CLUSTER_NAME=\"a b\"", "letters, digits");
    assertInvalid(Map.of("CLUSTER_HOST", "a/b"), "CLUSTER_HOST=\"a/b\"", "host name");
    assertInvalid(
        Map.of("CLUSTER_MEMBERS", "a:1,,b"), "CLUSTER_MEMBERS=\"a:1,,b\"", "comma-separated");
    assertInvalid(
        Map.of("CLUSTER_EVENTBUS_PORT", "-1"), "CLUSTER_EVENTBUS_PORT=\"-1\"", "from 0 to 65535");
    assertThatThrownBy(() -> ClusterSettings.from(Map.of(), Map.of("CLUSTER_PORT", "x")))
        .hasMessageContaining("CLUSTER_PORT=\"x\"")
        .hasMessageContaining(".env");
  }

  private static void assertInvalid(Map<String, String> env, String subject, String rule) {
    assertThatThrownBy(() -> ClusterSettings.from(env, Map.of()))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining(subject)
        .hasMessageContaining(rule)
        .hasMessageContaining("environment");
  }
}
