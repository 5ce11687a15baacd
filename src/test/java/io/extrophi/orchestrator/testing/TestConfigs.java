package io.extrophi.orchestrator.testing;

import io.extrophi.orchestrator.config.OrchestratorConfig;
import io.extrophi.orchestrator.config.RuntimeSettings;
import io.extrophi.orchestrator.config.ServiceDefinition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Configurations with scaled-down timings and the HTTP API on a free loopback port. */
public final class TestConfigs {

  private TestConfigs() {}

  /**
   * @param urls one service per URL, named {@code s0}, {@code s1}, ...
   */
  public static OrchestratorConfig config(
      List<String> urls,
      Duration interval,
      Duration timeout,
      int failureThreshold,
      int successThreshold,
      Duration resetTimeout) {
    List<ServiceDefinition> services = new ArrayList<>();
    for (int i = 0; i < urls.size(); i++) {
      services.add(ServiceDefinition.of("s" + i, urls.get(i), interval, timeout));
    }
    // Tests trigger rounds back to back and count the probes of each: no coalescing gap, unless a
    // test sets one.
    return builder(services, interval, timeout)
        .failureThreshold(failureThreshold)
        .successThreshold(successThreshold)
        .resetTimeout(resetTimeout)
        .runtime(RuntimeSettings.inMemory().toBuilder().triggerMinGap(Duration.ZERO).build())
        .build();
  }

  /**
   * {@code services} checked every {@code interval} within {@code timeout}, with the default
   * thresholds (5 failures, 2 successes, a one-minute reset), in memory and the HTTP API on a free
   * loopback port; a test sets what else it needs before {@code build()}.
   */
  public static OrchestratorConfig.Builder builder(
      List<ServiceDefinition> services, Duration interval, Duration timeout) {
    return OrchestratorConfig.builder()
        .services(services)
        .checkInterval(interval)
        .checkTimeout(timeout)
        .failureThreshold(5)
        .successThreshold(2)
        .resetTimeout(Duration.ofMinutes(1))
        .http("127.0.0.1", 0)
        .runtime(RuntimeSettings.inMemory());
  }

  /** Checked every {@code interval}, with the default thresholds and a generous timeout. */
  public static OrchestratorConfig every(Duration interval, String... urls) {
    return config(List.of(urls), interval, Duration.ofSeconds(5), 5, 2, Duration.ofMinutes(1));
  }

  /** A long interval: only the first round and triggered checks run during a test. */
  public static OrchestratorConfig firstRoundOnly(List<String> urls, Duration timeout) {
    return config(urls, Duration.ofMinutes(10), timeout, 5, 2, Duration.ofMinutes(1));
  }

  /**
   * A services file ({@code SERVICES_FILE}) with one service per URL, named {@code s0}, {@code s1},
   * ..., each with {@code fields} (YAML lines such as {@code "interval: 600"}) added.
   */
  public static String servicesYaml(List<String> urls, String... fields) {
    StringBuilder yaml = new StringBuilder("services:\n");
    for (int i = 0; i < urls.size(); i++) {
      yaml.append("  - name: s").append(i).append('\n');
      yaml.append("    url: ").append(urls.get(i)).append('\n');
      for (String field : fields) {
        yaml.append("    ").append(field).append('\n');
      }
    }
    return yaml.toString();
  }
}
