package io.extrophi.orchestrator.alert;

import io.extrophi.orchestrator.config.AlertSettings;
import io.extrophi.orchestrator.config.OrchestratorConfig;
import io.extrophi.orchestrator.config.ServiceDefinition;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Where a service's alerts go: the global webhook, if any, and the service's own, if any (in
 * addition, not instead: the global receiver sees the whole fleet). The same webhook in the same
 * format counts once.
 */
final class AlertRoutes {

  private AlertRoutes() {}

  /**
   * @param service the service's definition, or {@code null} when it is no longer configured (its
   *     last transitions still go to the global webhook)
   */
  static List<Receiver> of(AlertSettings settings, ServiceDefinition service) {
    Set<Receiver> receivers = new LinkedHashSet<>();
    if (settings.webhook() != null) {
      receivers.add(new Receiver(settings.webhook(), settings.format()));
    }
    if (service != null && !service.alert().isNone()) {
      receivers.add(new Receiver(service.alert().webhook(), service.alert().format()));
    }
    return List.copyOf(receivers);
  }

  /** Every receiver of this configuration. */
  static Set<Receiver> all(OrchestratorConfig config) {
    Set<Receiver> receivers = new LinkedHashSet<>();
    for (ServiceDefinition service : config.services()) {
      receivers.addAll(of(config.alerts(), service));
    }
    receivers.addAll(of(config.alerts(), null));
    return receivers;
  }
}
