package io.extrophi.orchestrator.status;

import io.extrophi.orchestrator.bus.BreakerTransition;
import io.extrophi.orchestrator.bus.ProbeResult;
import io.extrophi.orchestrator.time.Timestamps;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The status of the whole fleet in configured order, and the JSON the API serves. The services
 * object is rebuilt only when something changed, not once per query.
 */
public final class StatusBoard {

  /** A change of a service's reported health. */
  public record HealthChange(String service, HealthState from, HealthState to) {}

  private final Map<String, ServiceStatus> services = new LinkedHashMap<>();
  private JsonObject servicesJson;

  public StatusBoard(List<String> serviceNames) {
    serviceNames.forEach(name -> services.put(name, new ServiceStatus(name)));
  }

  /**
   * Applies a probe result; results for services this board does not know are ignored.
   *
   * @return the health change it caused, if any
   */
  public Optional<HealthChange> apply(ProbeResult result) {
    ServiceStatus status = services.get(result.service());
    if (status == null) {
      return Optional.empty();
    }
    HealthState before = status.health();
    status.apply(result);
    return changed(status, before);
  }

  /**
   * Applies a circuit transition.
   *
   * @return the health change it caused, if any
   */
  public Optional<HealthChange> apply(BreakerTransition transition) {
    ServiceStatus status = services.get(transition.service());
    if (status == null) {
      return Optional.empty();
    }
    HealthState before = status.health();
    status.applyCircuitState(transition.to());
    return changed(status, before);
  }

  public Optional<ServiceStatus> service(String name) {
    return Optional.ofNullable(services.get(name));
  }

  public OverallHealth overallHealth() {
    return OverallHealth.of(services.values().stream().map(ServiceStatus::health).toList());
  }

  /** {@code {"writer":{…},…}} in configured order; callers must not modify it. */
  public JsonObject servicesJson() {
    if (servicesJson == null) {
      JsonObject json = new JsonObject();
      services.forEach((name, status) -> json.put(name, status.toJson()));
      servicesJson = json;
    }
    return servicesJson;
  }

  /** The body of {@code GET /health/status}. */
  public JsonObject snapshot(Instant now) {
    return new JsonObject()
        .put("timestamp", Timestamps.format(now))
        .put("services", servicesJson())
        .put("overall_health", overallHealth().jsonName());
  }

  private Optional<HealthChange> changed(ServiceStatus status, HealthState before) {
    servicesJson = null;
    HealthState after = status.health();
    return before == after
        ? Optional.empty()
        : Optional.of(new HealthChange(status.name(), before, after));
  }
}
