package io.extrophi.orchestrator.alert;

import io.extrophi.orchestrator.bus.HealthState;
import io.extrophi.orchestrator.bus.HealthTransition;
import io.extrophi.orchestrator.config.OrchestratorConfig;
import io.extrophi.orchestrator.config.ServiceDefinition;
import io.extrophi.orchestrator.dependency.DependencyGraph;
import io.extrophi.orchestrator.dependency.RootCauses;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns the health transitions of the services this node probes into alerts about root causes, so
 * that one outage pages once however many services depend on the one that failed.
 *
 * <ul>
 *   <li>A service going down whose root cause is another failing service (see {@link RootCauses})
 *       creates no alert of its own: the root cause's alert is sent again as an <em>update</em>
 *       listing every service it now takes down, under a new id that names the original in {@code
 *       update_of}. A service already down that only changes how it fails ({@code unhealthy ->
 *       circuit_open}) sends nothing, as nothing new is known.
 *   <li>A service going down that is its own root cause alerts as without dependencies, listing the
 *       services it already takes down.
 *   <li>Recoveries always alert. When a root cause recovers and a service it took down is still
 *       failing on its own after a grace period (long enough to recover with it: the reset timeout
 *       of its open circuit, if any, and two rounds), the alert held back for it is sent then,
 *       under the id it would have had.
 *   <li>If the root cause's alert cannot be named (its failure began before this node heard of it),
 *       the service alerts as without dependencies, naming its {@code root_cause}: an alert
 *       repeated rather than one lost.
 * </ul>
 *
 * <p>Each transition is handled only by the node that probed the service, so in a cluster every
 * alert and update is sent once; the fleet's health comes from every node's transitions.
 */
final class RootCauseAlerts {

  /** An alert and the services whose receivers get it. */
  record Outgoing(Alert alert, List<String> routedFor) {}

  /**
   * A service a recovered root cause took down, to judge again after {@code after}: if it is then
   * still failing, on its own and since {@code since}, its held-back alert goes out.
   */
  record Recheck(String service, HealthTransition since, Duration after) {}

  /** What a transition makes: alerts to send now, services to judge again later. */
  record Decision(List<Outgoing> alerts, List<Recheck> rechecks) {}

  private final FleetHealth fleet;
  private final String nodeId;
  private OrchestratorConfig config;
  private DependencyGraph graph;

  /**
   * @param nodeId this node's id in a cluster, named in the alerts; {@code null} in a single
   *     process
   */
  RootCauseAlerts(OrchestratorConfig config, FleetHealth fleet, String nodeId) {
    this.fleet = fleet;
    this.nodeId = nodeId;
    update(config);
  }

  /** Follows a new configuration: its services and their dependencies. */
  void update(OrchestratorConfig newConfig) {
    config = newConfig;
    graph = newConfig.dependencies();
    fleet.retain(newConfig.services().stream().map(ServiceDefinition::name).toList());
  }

  /**
   * The alerts a transition of a service probed by this node makes; it is applied to the fleet's
   * health either way.
   *
   * @param alertable whether {@link AlertPolicy} finds the transition worth an alert at all
   */
  Decision onLocalTransition(HealthTransition change, boolean alertable) {
    String service = change.service();
    // What the service took down before this change, judged by the change's own "from": this
    // node may have heard the same transition from the cluster already.
    List<String> tookDown =
        RootCauses.isFailing(change.to())
            ? List.of()
            : new RootCauses(
                    graph, name -> name.equals(service) ? change.from() : fleet.health(name))
                .takenDownBy(service, graph.dependents());
    fleet.apply(change);
    List<Outgoing> outgoing = new ArrayList<>();
    if (alertable) {
      alertFor(change).ifPresent(outgoing::add);
    }
    List<Recheck> rechecks = new ArrayList<>();
    for (String stillDown : tookDown) {
      fleet
          .failingSince(stillDown)
          .ifPresent(since -> rechecks.add(new Recheck(stillDown, since, grace(stillDown))));
    }
    return new Decision(outgoing, rechecks);
  }

  /**
   * The alert held back for {@code recheck}'s service, if it is still failing on its own since the
   * same transition: its dependency recovered, it did not.
   */
  Optional<Outgoing> afterGrace(Recheck recheck) {
    String service = recheck.service();
    if (!fleet.failingSince(service).filter(recheck.since()::equals).isPresent()
        || !causes().of(service).filter(service::equals).isPresent()) {
      return Optional.empty();
    }
    return Optional.of(
        new Outgoing(
            Alert.of(recheck.since(), url(service), nodeId)
                .takingDown(causes().takenDownBy(service, graph.dependents())),
            List.of(service)));
  }

  // Long enough for a service taken down by another to recover with it: its open circuit, if any,
  // lets a trial through, and two more rounds run to the end.
  private Duration grace(String service) {
    Optional<ServiceDefinition> definition = config.service(service);
    Duration interval = definition.map(ServiceDefinition::interval).orElse(config.checkInterval());
    Duration timeout = definition.map(ServiceDefinition::timeout).orElse(config.checkTimeout());
    Duration circuit =
        fleet.health(service) == HealthState.CIRCUIT_OPEN ? config.resetTimeout() : Duration.ZERO;
    return circuit.plus(interval.multipliedBy(2)).plus(timeout);
  }

  /** Applies a transition of a service probed by another node to the fleet's health. */
  void onFleetTransition(HealthTransition change) {
    fleet.apply(change);
  }

  private Optional<Outgoing> alertFor(HealthTransition change) {
    String service = change.service();
    Alert alert = Alert.of(change, url(service), nodeId);
    if (!RootCauses.isFailing(change.to())) {
      return Optional.of(new Outgoing(alert, List.of(service)));
    }
    RootCauses causes = causes();
    String root = causes.of(service).orElse(service);
    if (root.equals(service)) {
      return Optional.of(
          new Outgoing(
              alert.takingDown(causes.takenDownBy(service, graph.dependents())), List.of(service)));
    }
    if (RootCauses.isFailing(change.from())) {
      return Optional.empty();
    }
    return fleet
        .failingSince(root)
        .map(
            since ->
                new Outgoing(
                    Alert.of(since, url(root), null)
                        .updatedWith(causes.takenDownBy(root, graph.dependents()), change, nodeId),
                    List.of(root, service)))
        .or(() -> Optional.of(new Outgoing(alert.withRootCause(root), List.of(service))));
  }

  private RootCauses causes() {
    return new RootCauses(graph, fleet::health);
  }

  private String url(String service) {
    return config.service(service).map(ServiceDefinition::url).orElse(null);
  }
}
