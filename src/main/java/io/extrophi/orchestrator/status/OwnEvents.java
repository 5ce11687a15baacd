package io.extrophi.orchestrator.status;

import io.extrophi.orchestrator.bus.BreakerTransition;
import io.extrophi.orchestrator.bus.ComponentTransition;
import io.extrophi.orchestrator.bus.EventBusAddresses;
import io.extrophi.orchestrator.bus.HealthState;
import io.extrophi.orchestrator.bus.HealthTransition;
import io.extrophi.orchestrator.bus.ProbeResult;
import io.extrophi.orchestrator.bus.ReportedStatusChange;
import io.extrophi.orchestrator.bus.StatusEvent;
import io.extrophi.orchestrator.bus.StatusEventBatch;
import io.extrophi.orchestrator.document.Component;
import io.extrophi.orchestrator.document.ReportedStatus;
import io.vertx.core.eventbus.EventBus;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies this node's own probe results and circuit transitions to the board, and publishes what
 * they change: health ({@link EventBusAddresses#HEALTH_TRANSITIONS}), the components of a health
 * document ({@link EventBusAddresses#COMPONENT_TRANSITIONS}) and the status it reports ({@link
 * EventBusAddresses#REPORTED_STATUS_CHANGES}). Only the node that probed publishes: results
 * replicated from other nodes are applied by {@link ClusterSync} without a word.
 */
final class OwnEvents {

  private static final Logger LOG = LoggerFactory.getLogger(OwnEvents.class);

  private final EventBus bus;
  private final StatusBoard board;

  OwnEvents(EventBus bus, StatusBoard board) {
    this.bus = bus;
    this.board = board;
  }

  void apply(StatusEventBatch batch) {
    for (StatusEvent event : batch.events()) {
      if (event instanceof ProbeResult result) {
        apply(result);
      } else {
        board.apply((BreakerTransition) event).ifPresent(this::announce);
      }
    }
  }

  private void apply(ProbeResult result) {
    ReportedStatus before = reportedStatusOf(result.service());
    List<Component> componentsBefore = componentsOf(result.service());
    board.apply(result).ifPresent(this::announce);
    if (board.service(result.service()).isPresent()) {
      ComponentTransition.between(
              result.service(), componentsBefore, result.components(), result.checkedAt())
          .forEach(change -> bus.publish(EventBusAddresses.COMPONENT_TRANSITIONS, change.toJson()));
    }
    if (before != result.reportedStatus()) {
      announceReported(result, before);
    }
  }

  /** What the service's last probe reported; {@code null} for none or an unknown service. */
  private ReportedStatus reportedStatusOf(String service) {
    return board
        .service(service)
        .map(ServiceStatus::lastResult)
        .map(ProbeResult::reportedStatus)
        .orElse(null);
  }

  private List<Component> componentsOf(String service) {
    return board
        .service(service)
        .map(ServiceStatus::lastResult)
        .map(ProbeResult::components)
        .orElse(List.of());
  }

  private void announceReported(ProbeResult result, ReportedStatus before) {
    Optional<ServiceStatus> status = board.service(result.service());
    if (status.isEmpty()) {
      return;
    }
    ReportedStatusChange change =
        new ReportedStatusChange(
            result.service(),
            before,
            result.reportedStatus(),
            status.get().health(),
            reasonOf(result),
            result.checkedAt());
    LOG.info(change.describe());
    bus.publish(EventBusAddresses.REPORTED_STATUS_CHANGES, change.toJson());
  }

  /** The probe's error, else the components not passing ({@code db: OUT_OF_SERVICE}). */
  private static String reasonOf(ProbeResult result) {
    if (result.errorMessage() != null) {
      return result.errorMessage();
    }
    List<String> concerns =
        result.components().stream()
            .filter(component -> component.status() != ReportedStatus.PASS)
            .map(Component::describe)
            .toList();
    return concerns.isEmpty() ? "check succeeded" : String.join("; ", concerns);
  }

  private void announce(HealthTransition change) {
    if (change.to() == HealthState.HEALTHY) {
      LOG.info(change.describe());
    } else {
      LOG.warn(change.describe());
    }
    bus.publish(EventBusAddresses.HEALTH_TRANSITIONS, change.toJson());
  }
}
