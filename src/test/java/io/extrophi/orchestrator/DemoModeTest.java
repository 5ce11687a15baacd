package io.extrophi.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.config.AlertFormat;
import io.extrophi.orchestrator.config.AlertSettings;
import io.extrophi.orchestrator.config.OrchestratorConfig;
import io.extrophi.orchestrator.config.ServiceDefinition;
import io.extrophi.orchestrator.testing.UnitTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@UnitTest
class DemoModeTest {

  @Test
  void pointsTheDefaultServicesAtTheDemoPortsWithShortTimings() {
    OrchestratorConfig demo =
        DemoMode.apply(OrchestratorConfig.builder().http("127.0.0.1", 9003).build());
    assertThat(demo.services())
        .extracting(ServiceDefinition::url)
        .containsExactly(
            "http://127.0.0.1:8000/health",
            "http://127.0.0.1:8001/health",
            "http://127.0.0.1:8002/health");
    assertThat(demo.checkInterval()).isEqualTo(Duration.ofSeconds(2));
    assertThat(demo.resetTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(demo.httpPort()).isEqualTo(9003);
    assertThat(demo.failureThreshold()).isEqualTo(5);
    assertThat(demo.runtime().dataDir()).isNull();
    assertThat(demo.runtime().servicesFile()).isNull();
  }

  @Test
  void keepsTheConfiguredAlerts() {
    AlertSettings alerts =
        AlertSettings.builder()
            .webhook("http://127.0.0.1:9999/hook")
            .format(AlertFormat.SLACK)
            .build();
    OrchestratorConfig demo = DemoMode.apply(OrchestratorConfig.builder().alerts(alerts).build());
    assertThat(demo.alerts()).isEqualTo(alerts);
  }
}
