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
    return OrchestratorConfig.builder()
        .services(services)
        .checkInterval(interval)
        .checkTimeout(timeout)
        .failureThreshold(failureThreshold)
        .successThreshold(successThreshold)
        .resetTimeout(resetTimeout)
        .http("127.0.0.1", 0)
        .runtime(RuntimeSettings.inMemory().toBuilder().triggerMinGap(Duration.ZERO).build())
        .build();
  }

  /** A long interval: only the first round and triggered checks run during a test. */
  public static OrchestratorConfig firstRoundOnly(List<String> urls, Duration timeout) {
    return config(urls, Duration.ofMinutes(10), timeout, 5, 2, Duration.ofMinutes(1));
  }
}
