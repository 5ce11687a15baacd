package io.extrophi.orchestrator.dependency;

import io.extrophi.orchestrator.bus.HealthState;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Why each failing service fails, given who depends on whom and everyone's health now.
 *
 * <p>A failure travels down a chain of failing services: a failing service whose dependencies are
 * all healthy (or unknown) is its own root cause; one with a failing dependency is taken down by
 * the root cause of that dependency, however many failing services lie in between. A dependency
 * that is healthy stops the chain: when {@code writer -> api -> db} and only {@code writer} and
 * {@code db} fail, {@code api} answers, so {@code db} does not explain {@code writer}, which is its
 * own root cause.
 *
 * <p>When several root causes are reachable, the nearest one (fewest dependency hops) is chosen,
 * and among equally near ones the first by name: the same answer on every node and after every
 * restart, whatever order the results came in.
 */
public final class RootCauses {

  private final DependencyGraph graph;
  private final Function<String, HealthState> health;

  /**
   * @param health the current health of a service; {@code null} or {@link HealthState#UNKNOWN} for
   *     one not checked yet, which counts as not failing
   */
  public RootCauses(DependencyGraph graph, Function<String, HealthState> health) {
    this.graph = graph;
    this.health = health;
  }

  /**
   * Whether a service in this health counts as failing: {@code unhealthy} or {@code circuit_open}.
   */
  public static boolean isFailing(HealthState state) {
    return state == HealthState.UNHEALTHY || state == HealthState.CIRCUIT_OPEN;
  }

  /**
   * The root cause of {@code service}'s failure: the service itself when none of its dependencies
   * fails, the chosen failing service it depends on otherwise; empty when {@code service} is not
   * failing.
   */
  public Optional<String> of(String service) {
    if (!failing(service)) {
      return Optional.empty();
    }
    List<String> level = List.of(service);
    Set<String> seen = new HashSet<>(level);
    while (!level.isEmpty()) {
      String nearest = null;
      List<String> next = new ArrayList<>();
      for (String candidate : level) {
        List<String> failingDependencies =
            graph.dependenciesOf(candidate).stream().filter(this::failing).toList();
        if (failingDependencies.isEmpty()) {
          if (nearest == null || candidate.compareTo(nearest) < 0) {
            nearest = candidate;
          }
        }
        for (String dependency : failingDependencies) {
          if (seen.add(dependency)) {
            next.add(dependency);
          }
        }
      }
      if (nearest != null) {
        return Optional.of(nearest);
      }
      level = next;
    }
    // Only a cycle of failing services ends here, and the configuration refuses cycles.
    return Optional.of(service);
  }

  /**
   * The root cause of {@code service} when it is another service, empty when {@code service} is not
   * failing or is its own root cause: the {@code root_cause} the API reports.
   */
  public Optional<String> otherThan(String service) {
    return of(service).filter(root -> !root.equals(service));
  }

  /**
   * The services of {@code services} (in their order) that {@code root} takes down: failing, with
   * {@code root} as their root cause, {@code root} itself left out.
   */
  public List<String> takenDownBy(String root, Iterable<String> services) {
    List<String> affected = new ArrayList<>();
    for (String service : services) {
      // A service without dependencies is always its own root cause.
      if (graph.dependenciesOf(service).isEmpty()) {
        continue;
      }
      if (!service.equals(root) && of(service).filter(root::equals).isPresent()) {
        affected.add(service);
      }
    }
    return affected;
  }

  private boolean failing(String service) {
    return isFailing(health.apply(service));
  }
}
