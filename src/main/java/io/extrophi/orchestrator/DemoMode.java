package io.extrophi.orchestrator;

import io.extrophi.orchestrator.config.OrchestratorConfig;
import io.extrophi.orchestrator.config.ServiceDefinition;
import io.extrophi.orchestrator.demo.DemoServices;
import java.time.Duration;
import java.util.List;

/**
 * What {@code --demo} changes: the three default services point at {@link DemoServices} on
 * 127.0.0.1:8000–8002 and the timings are short enough to see every state within a minute. The HTTP
 * settings, circuit thresholds and alert webhooks still come from the configuration.
 */
final class DemoMode {

  static final String HOST = "127.0.0.1";
  static final int HEALTHY_PORT = 8000;
  static final int FLAKY_PORT = 8001;
  static final int DOWN_PORT = 8002;
  static final Duration INTERVAL = Duration.ofSeconds(2);
  static final Duration TIMEOUT = Duration.ofSeconds(1);
  static final Duration RESET_TIMEOUT = Duration.ofSeconds(10);

  private DemoMode() {}

  static OrchestratorConfig apply(OrchestratorConfig config) {
    // Thresholds, HTTP and alerts stay as configured, so that --demo also shows alerts (its
    // transitions are real); no files, so that the demo's fleet is its own.
    return config.toBuilder()
        .services(
            List.of(
                service("writer", HEALTHY_PORT),
                service("research", FLAKY_PORT),
                service("backend", DOWN_PORT)))
        .checkInterval(INTERVAL)
        .checkTimeout(TIMEOUT)
        .resetTimeout(RESET_TIMEOUT)
        .runtime(config.runtime().toBuilder().servicesFile(null).dataDir(null).build())
        .build();
  }

  static DemoServices services() {
    return new DemoServices(HOST, HEALTHY_PORT, FLAKY_PORT);
  }

  private static ServiceDefinition service(String name, int port) {
    return ServiceDefinition.of(name, "http://" + HOST + ":" + port + "/health", INTERVAL, TIMEOUT);
  }
}
