package io.extrophi.orchestrator.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs what is probed: at start-up every service's URL, interval and timeout (the first {@link
 * #LISTED_AT_START} of a large fleet, and how many more), and after a reload each service it added
 * or changed. An override such as {@code WRITER_URL=…} is thus confirmed where the operator looks
 * first. URLs are {@linkplain RedactedUrl#ofCheck redacted}.
 */
public final class CheckLog {

  /** Services listed one per line at start-up; {@code GET /health/services} lists them all. */
  public static final int LISTED_AT_START = 20;

  private static final Logger LOG = LoggerFactory.getLogger(CheckLog.class);

  private CheckLog() {}

  /** The checks of the configuration in force at start-up. */
  public static void started(List<ServiceDefinition> services) {
    services.stream()
        .limit(LISTED_AT_START)
        .forEach(service -> LOG.info("probing {}: {}", service.name(), describe(service)));
    if (services.size() > LISTED_AT_START) {
      LOG.info(
          "probing {} more services, not listed here (GET /health/services lists all {})",
          services.size() - LISTED_AT_START,
          services.size());
    }
  }

  /** One line per service a reload added or whose check it changed, with the check it replaced. */
  public static void reloaded(
      ConfigDiff diff, OrchestratorConfig before, OrchestratorConfig after) {
    Map<String, ServiceDefinition> previous = byName(before);
    Map<String, ServiceDefinition> next = byName(after);
    diff.added().forEach(name -> LOG.info("reload added {}: {}", name, describe(next.get(name))));
    diff.changed()
        .forEach(
            name ->
                LOG.info(
                    "reload changed {}: {} (was {})",
                    name,
                    describe(next.get(name)),
                    describe(previous.get(name))));
  }

  /** {@code GET http://host:8000/health every 10 s, timeout 5 s}. */
  static String describe(ServiceDefinition service) {
    return service.method()
        + " "
        + RedactedUrl.ofCheck(service.url())
        + " every "
        + seconds(service.interval())
        + ", timeout "
        + seconds(service.timeout());
  }

  private static String seconds(Duration duration) {
    return BigDecimal.valueOf(duration.toMillis(), 3).stripTrailingZeros().toPlainString() + " s";
  }

  private static Map<String, ServiceDefinition> byName(OrchestratorConfig config) {
    return config.services().stream()
        .collect(Collectors.toMap(ServiceDefinition::name, Function.identity()));
  }
}
