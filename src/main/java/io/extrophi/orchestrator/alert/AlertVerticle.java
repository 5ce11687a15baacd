package io.extrophi.orchestrator.alert;

import io.extrophi.orchestrator.bus.EventBusAddresses;
import io.extrophi.orchestrator.bus.HealthState;
import io.extrophi.orchestrator.bus.HealthTransition;
import io.extrophi.orchestrator.bus.ReportedStatusChange;
import io.extrophi.orchestrator.config.OrchestratorConfig;
import io.extrophi.orchestrator.config.ServiceDefinition;
import io.extrophi.orchestrator.document.ReportedStatus;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends health transitions to webhooks: the global {@code ALERT_WEBHOOK} and the services' own
 * {@code alert_webhook}s, each through its own {@link DeliveryQueue}.
 *
 * <p>It alerts on {@link EventBusAddresses#HEALTH_TRANSITIONS} heard locally only: in a cluster
 * each transition is published by the node that probed the service, so each is alerted once, by
 * that node. It hears the other nodes' transitions too, only to know the health of the whole fleet
 * ({@link FleetHealth}). {@link AlertPolicy} decides which transitions alert, {@link
 * RootCauseAlerts} whether as themselves or as an update of the alert of their root cause. A new
 * configuration on {@link EventBusAddresses#CONFIG_CHANGED} applies at once; receivers still
 * configured keep their queued alerts, the queues of removed ones are dropped.
 */
public final class AlertVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(AlertVerticle.class);

  private final String nodeId;
  private final AlertStats stats;
  private final AlertPolicy policy = new AlertPolicy();
  private final RootCauseAlerts rootCauses;
  private final Map<Receiver, DeliveryQueue> queues = new HashMap<>();
  private OrchestratorConfig config;
  private WebhookSender sender;
  private List<MessageConsumer<JsonObject>> consumers = List.of();

  /**
   * @param config the configuration to start with
   * @param nodeId this node's id in a cluster, named in the alerts; {@code null} in a single
   *     process
   * @param stats where delivery is counted
   */
  public AlertVerticle(OrchestratorConfig config, String nodeId, AlertStats stats) {
    this.config = config;
    this.nodeId = nodeId;
    this.stats = stats;
    this.rootCauses = new RootCauseAlerts(config, new FleetHealth(), nodeId);
  }

  @Override
  public Future<?> start() {
    sender = WebhookSender.create(vertx);
    List<MessageConsumer<JsonObject>> listening = new ArrayList<>();
    listening.add(
        vertx.eventBus().localConsumer(EventBusAddresses.HEALTH_TRANSITIONS, this::onTransition));
    listening.add(
        vertx
            .eventBus()
            .localConsumer(EventBusAddresses.REPORTED_STATUS_CHANGES, this::onReportedChange));
    listening.add(
        vertx.eventBus().localConsumer(EventBusAddresses.CONFIG_CHANGED, this::onConfigChanged));
    if (vertx.isClustered()) {
      // Hears this node's transitions a second time too; FleetHealth ignores a repeat.
      listening.add(
          vertx.eventBus().consumer(EventBusAddresses.HEALTH_TRANSITIONS, this::onFleetTransition));
    }
    consumers = List.copyOf(listening);
    logReceivers();
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList());
  }

  @Override
  public Future<?> stop() {
    // Alerts live in memory only: what is still queued at shutdown is lost, and counted so.
    queues.values().forEach(DeliveryQueue::close);
    queues.clear();
    sender.close();
    return Future.join(consumers.stream().map(MessageConsumer::unregister).toList());
  }

  private void onTransition(Message<JsonObject> message) {
    HealthTransition change = HealthTransition.fromJson(message.body());
    boolean alertable = policy.shouldAlert(change);
    RootCauseAlerts.Decision decision = rootCauses.onLocalTransition(change, alertable);
    if (decision.alerts().isEmpty()) {
      LOG.debug("no alert for {}", change.describe());
    }
    decision.alerts().forEach(this::deliver);
    for (RootCauseAlerts.Recheck recheck : decision.rechecks()) {
      vertx.setTimer(
          Math.max(1, recheck.after().toMillis()),
          fired -> rootCauses.afterGrace(recheck).ifPresent(this::deliver));
    }
  }

  /**
   * A service with {@code alert_on_warn} alerts when it enters or leaves a warning while healthy; a
   * warning that comes or goes with a change of health is told by that transition's alert.
   */
  private void onReportedChange(Message<JsonObject> message) {
    ReportedStatusChange change = ReportedStatusChange.fromJson(message.body());
    Optional<ServiceDefinition> service = config.service(change.service());
    if (service.isEmpty()
        || !service.get().document().alertOnWarn()
        || !change.isWarningChange()
        || change.from() == ReportedStatus.FAIL
        || change.to() == ReportedStatus.FAIL
        || change.health() != HealthState.HEALTHY) {
      return;
    }
    Alert alert = Alert.ofWarning(change, service.get().url(), nodeId);
    deliver(new RootCauseAlerts.Outgoing(alert, List.of(change.service())));
  }

  private void onFleetTransition(Message<JsonObject> message) {
    rootCauses.onFleetTransition(HealthTransition.fromJson(message.body()));
  }

  private void deliver(RootCauseAlerts.Outgoing outgoing) {
    Set<Receiver> receivers = new LinkedHashSet<>();
    for (String name : outgoing.routedFor()) {
      receivers.addAll(AlertRoutes.of(config.alerts(), config.service(name).orElse(null)));
    }
    for (Receiver receiver : receivers) {
      queues
          .computeIfAbsent(
              receiver, key -> new DeliveryQueue(vertx, key, sender, config.alerts(), stats))
          .offer(outgoing.alert());
    }
  }

  private void onConfigChanged(Message<JsonObject> message) {
    config = OrchestratorConfig.fromJson(message.body());
    Set<Receiver> configured = AlertRoutes.all(config);
    for (Iterator<Map.Entry<Receiver, DeliveryQueue>> it = queues.entrySet().iterator();
        it.hasNext(); ) {
      Map.Entry<Receiver, DeliveryQueue> entry = it.next();
      if (configured.contains(entry.getKey())) {
        entry.getValue().update(config.alerts());
      } else {
        entry.getValue().close();
        it.remove();
      }
    }
    policy.retain(config.services().stream().map(ServiceDefinition::name).toList());
    rootCauses.update(config);
    logReceivers();
  }

  private void logReceivers() {
    Set<Receiver> receivers = AlertRoutes.all(config);
    if (receivers.isEmpty()) {
      LOG.info("alerts: no webhook configured");
    } else {
      LOG.info(
          "alerts: {} webhook{}: {}",
          receivers.size(),
          receivers.size() == 1 ? "" : "s",
          receivers);
    }
  }
}
