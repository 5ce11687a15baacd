package io.extrophi.orchestrator.dependency;

import static io.extrophi.orchestrator.bus.HealthState.CIRCUIT_OPEN;
import static io.extrophi.orchestrator.bus.HealthState.HEALTHY;
import static io.extrophi.orchestrator.bus.HealthState.UNHEALTHY;
import static io.extrophi.orchestrator.bus.HealthState.UNKNOWN;
import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.bus.HealthState;
import io.extrophi.orchestrator.testing.UnitTest;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Root causes from a dependency graph and the health of each service, without Vert.x. */
@UnitTest
class RootCausesTest {

  private final Map<String, List<String>> edges = new LinkedHashMap<>();
  private final Map<String, HealthState> health = new HashMap<>();

  private RootCauses causes() {
    return new RootCauses(DependencyGraph.of(edges), health::get);
  }

  /** Each of {@code dependents} depends on {@code dependency} alone. */
  private void allDependOn(String dependency, String... dependents) {
    for (String dependent : dependents) {
      edges.put(dependent, List.of(dependency));
    }
  }

  /** Each service depends on the next one alone. */
  private void chain(String... services) {
    for (int i = 0; i + 1 < services.length; i++) {
      edges.put(services[i], List.of(services[i + 1]));
    }
  }

  @Test
  void aServiceFailingWhileItsDependencyFailsIsTakenDownByIt() {
    allDependOn("backend", "writer", "research");
    health.putAll(Map.of("writer", UNHEALTHY, "research", CIRCUIT_OPEN, "backend", UNHEALTHY));
    assertThat(causes().of("writer")).contains("backend");
    assertThat(causes().otherThan("writer")).contains("backend");
    assertThat(causes().of("backend")).contains("backend");
    assertThat(causes().otherThan("backend")).isEmpty();
    assertThat(causes().takenDownBy("backend", List.of("writer", "research", "backend")))
        .containsExactly("writer", "research");
  }

  @Test
  void aFailingServiceWhoseDependenciesAreHealthyIsItsOwnRootCause() {
    allDependOn("backend", "writer");
    health.putAll(Map.of("writer", UNHEALTHY, "backend", HEALTHY));
    assertThat(causes().of("writer")).contains("writer");
    assertThat(causes().otherThan("writer")).isEmpty();
    health.put("backend", UNKNOWN);
    assertThat(causes().of("writer")).contains("writer");
  }

  @Test
  void aHealthyServiceHasNoRootCause() {
    allDependOn("backend", "writer");
    health.putAll(Map.of("writer", HEALTHY, "backend", UNHEALTHY));
    assertThat(causes().of("writer")).isEmpty();
    assertThat(causes().takenDownBy("backend", List.of("writer", "backend"))).isEmpty();
  }

  @Test
  void aChainOfThreeLeadsToItsEnd() {
    chain("writer", "api", "db");
    health.putAll(Map.of("writer", UNHEALTHY, "api", UNHEALTHY, "db", CIRCUIT_OPEN));
    assertThat(Stream.of("writer", "api").map(service -> causes().of(service)))
        .containsOnly(Optional.of("db"));
    assertThat(causes().takenDownBy("db", List.of("writer", "api", "db")))
        .containsExactly("writer", "api");
  }

  @Test
  void aHealthyServiceInTheMiddleStopsTheChain() {
    chain("writer", "api", "db");
    health.putAll(Map.of("writer", UNHEALTHY, "api", HEALTHY, "db", UNHEALTHY));
    assertThat(causes().of("writer")).contains("writer");
  }

  @Test
  void ofSeveralFailingRootsTheNearestWinsThenTheFirstByName() {
    edges.put("writer", List.of("zeta", "api"));
    edges.put("api", List.of("db"));
    health.putAll(
        Map.of("writer", UNHEALTHY, "zeta", UNHEALTHY, "api", UNHEALTHY, "db", UNHEALTHY));
    assertThat(causes().of("writer")).as("zeta is one hop away, db two").contains("zeta");

    edges.put("writer", List.of("zeta", "alpha"));
    health.put("alpha", UNHEALTHY);
    assertThat(causes().of("writer")).as("equally near: by name").contains("alpha");
  }

  @Test
  void aCycleIsFoundWithItsPathAndStartsAtTheFirstServiceMet() {
    edges.put("writer", List.of("backend"));
    edges.put("research", List.of());
    edges.put("backend", List.of("research", "writer"));
    assertThat(DependencyGraph.of(edges).cycle()).contains(List.of("writer", "backend", "writer"));
    edges.put("backend", List.of("research"));
    assertThat(DependencyGraph.of(edges).cycle()).isEmpty();
    edges.put("research", List.of("research"));
    assertThat(DependencyGraph.of(edges).cycle()).contains(List.of("research", "research"));
  }
}
