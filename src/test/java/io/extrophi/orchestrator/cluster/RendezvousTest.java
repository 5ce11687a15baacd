package io.extrophi.orchestrator.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.testing.UnitTest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

@UnitTest
class RendezvousTest {

  private static final List<String> SERVICES =
      IntStream.range(0, 3_000).mapToObj(i -> "service-" + i).toList();

  @Test
  void everyServiceHasOneOwnerWhateverTheOrderOfTheMembers() {
    List<String> nodes = List.of("a", "b", "c");
    for (String service : SERVICES.subList(0, 100)) {
      String owner = Rendezvous.owner(service, nodes);
      assertThat(owner).isIn(nodes);
      assertThat(Rendezvous.owner(service, List.of("c", "a", "b"))).isEqualTo(owner);
    }
    assertThat(Rendezvous.owner("anything", List.of())).isNull();
  }

  @Test
  void spreadsTheFleetEvenly() {
    Map<String, Integer> owned = ownership(List.of("node-1", "node-2", "node-3"));
    assertThat(owned.values()).allSatisfy(count -> assertThat(count).isBetween(850, 1_150));
  }

  @Test
  void aNodeThatLeavesHandsOverOnlyItsOwnServices() {
    List<String> three = List.of("n1", "n2", "n3");
    List<String> two = List.of("n1", "n3");
    for (String service : SERVICES) {
      String before = Rendezvous.owner(service, three);
      String after = Rendezvous.owner(service, two);
      if (!before.equals("n2")) {
        assertThat(after).as(service).isEqualTo(before);
      }
    }
  }

  @Test
  void aNodeThatJoinsTakesAboutItsShareFromTheOthers() {
    List<String> two = List.of("n1", "n2");
    List<String> three = List.of("n1", "n2", "n3");
    int moved = 0;
    for (String service : SERVICES) {
      String before = Rendezvous.owner(service, two);
      String after = Rendezvous.owner(service, three);
      if (!after.equals(before)) {
        assertThat(after).as("a service that moves goes to the new node").isEqualTo("n3");
        moved++;
      }
    }
    assertThat(moved).isBetween(850, 1_150);
  }

  @Test
  void theHashIsStableAcrossProcesses() {
    // FNV-1a 64 then SplitMix64's finaliser, computed independently of this code: nodes of
    // different versions or JVMs must agree on every owner.
    assertThat(Rendezvous.hash("writer")).isEqualTo(1_139_859_494_853_521_477L);
  }

  private static Map<String, Integer> ownership(List<String> nodes) {
    Map<String, Integer> owned = new HashMap<>();
    SERVICES.forEach(service -> owned.merge(Rendezvous.owner(service, nodes), 1, Integer::sum));
    return owned;
  }
}
