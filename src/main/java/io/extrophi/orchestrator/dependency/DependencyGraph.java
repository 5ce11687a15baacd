package io.extrophi.orchestrator.dependency;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which services each service depends on ({@code depends_on} in the services file), in the order
 * the services are configured. Plain data, no Vert.x: the configuration checks it for cycles, the
 * alerts and the status read {@link RootCauses} from it.
 */
public final class DependencyGraph {

  /** A graph without any dependency. */
  public static final DependencyGraph NONE = new DependencyGraph(Map.of());

  private final Map<String, List<String>> dependencies;

  private DependencyGraph(Map<String, List<String>> dependencies) {
    this.dependencies = dependencies;
  }

  /**
   * @param dependencies each service to the services it depends on directly, in the order the
   *     services are configured; services without dependencies may be left out
   */
  public static DependencyGraph of(Map<String, List<String>> dependencies) {
    Map<String, List<String>> copy = new LinkedHashMap<>();
    dependencies.forEach(
        (service, on) -> {
          if (!on.isEmpty()) {
            copy.put(service, List.copyOf(on));
          }
        });
    return copy.isEmpty() ? NONE : new DependencyGraph(Collections.unmodifiableMap(copy));
  }

  /** The services {@code service} depends on directly; empty when none (or unknown). */
  public List<String> dependenciesOf(String service) {
    return dependencies.getOrDefault(service, List.of());
  }

  /** Whether no service depends on another. */
  public boolean isEmpty() {
    return dependencies.isEmpty();
  }

  /** The services that depend on at least one other, in configuration order. */
  public Set<String> dependents() {
    return dependencies.keySet();
  }

  /**
   * The first cycle found, walking the services in configuration order and each one's dependencies
   * in their order: the services on it with the first repeated at the end ({@code [writer, backend,
   * writer]}); empty when there is none. A service depending on itself is the cycle {@code [a, a]}.
   */
  public Optional<List<String>> cycle() {
    Map<String, Mark> marks = new HashMap<>();
    for (String service : dependencies.keySet()) {
      List<String> path = new ArrayList<>();
      Optional<List<String>> found = visit(service, marks, path);
      if (found.isPresent()) {
        return found;
      }
    }
    return Optional.empty();
  }

  private enum Mark {
    ON_PATH,
    DONE
  }

  // Depth-first; a dependency met again while still on the path closes a cycle. Recursion depth is
  // bounded by the length of the longest chain, which a fleet keeps short.
  private Optional<List<String>> visit(String service, Map<String, Mark> marks, List<String> path) {
    Mark mark = marks.get(service);
    if (mark == Mark.DONE) {
      return Optional.empty();
    }
    if (mark == Mark.ON_PATH) {
      List<String> cycle = new ArrayList<>(path.subList(path.indexOf(service), path.size()));
      cycle.add(service);
      return Optional.of(List.copyOf(cycle));
    }
    marks.put(service, Mark.ON_PATH);
    path.add(service);
    for (String dependency : dependenciesOf(service)) {
      Optional<List<String>> found = visit(dependency, marks, path);
      if (found.isPresent()) {
        return found;
      }
    }
    path.remove(path.size() - 1);
    marks.put(service, Mark.DONE);
    return Optional.empty();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof DependencyGraph graph && graph.dependencies.equals(dependencies);
  }

  @Override
  public int hashCode() {
    return dependencies.hashCode();
  }

  @Override
  public String toString() {
    return "DependencyGraph" + dependencies;
  }
}
