package io.extrophi.orchestrator.testing;

import io.extrophi.orchestrator.config.AlertFormat;
import io.extrophi.orchestrator.config.AlertSettings;
import io.extrophi.orchestrator.config.OrchestratorConfig;
import io.extrophi.orchestrator.config.ServiceAlert;
import io.extrophi.orchestrator.config.ServiceDefinition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Alert settings scaled down for tests, and services with webhooks of their own. */
public final class AlertingConfigs {

  private AlertingConfigs() {}

  /**
   * JSON alerts to {@code webhook} (none if null) with fast retries, so that a test sees several
   * within a second: 10 attempts 20 to 100 ms apart, 2 s each, 100 queued at most. A test sets what
   * else it needs before {@code build()}.
   */
  public static AlertSettings.Builder fastRetries(String webhook) {
    return AlertSettings.builder()
        .webhook(webhook)
        .format(AlertFormat.JSON)
        .queueSize(100)
        .maxAttempts(10)
        .retryInitial(Duration.ofMillis(20))
        .retryMax(Duration.ofMillis(100))
        .attemptTimeout(Duration.ofSeconds(2));
  }

  /**
   * {@code base} with its i-th service alerting {@code alerts[i]} besides the global webhook;
   * services past the end of {@code alerts} are left as they are.
   */
  public static OrchestratorConfig withServiceAlerts(
      OrchestratorConfig base, ServiceAlert... alerts) {
    List<ServiceDefinition> services = new ArrayList<>(base.services());
    for (int i = 0; i < alerts.length; i++) {
      services.set(i, services.get(i).toBuilder().alert(alerts[i]).build());
    }
    return base.toBuilder().services(services).build();
  }
}
