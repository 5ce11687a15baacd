package io.extrophi.orchestrator.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.extrophi.orchestrator.testing.UnitTest;
import java.util.List;
import org.junit.jupiter.api.Test;

@UnitTest
class AssignmentTest {

  @Test
  void aSingleProcessOwnsEveryService() {
    assertThat(Assignment.SINGLE_PROCESS.owns("anything")).isTrue();
    assertThat(Assignment.SINGLE_PROCESS.ownerOf("anything")).isNull();
  }

  @Test
  void aNodeWaitingForTheMembersOwnsNothing() {
    assertThat(Assignment.waiting("me").owns("anything")).isFalse();
  }

  @Test
  void anActiveNodeOwnsWhatRendezvousGivesIt() {
    List<String> nodes = List.of("a", "b", "c");
    for (int i = 0; i < 50; i++) {
      String service = "s" + i;
      long owners =
          nodes.stream().filter(node -> new Assignment(nodes, node, true).owns(service)).count();
      assertThat(owners).as(service).isEqualTo(1);
      assertThat(new Assignment(nodes, "a", true).ownerOf(service))
          .isEqualTo(Rendezvous.owner(service, nodes));
    }
  }

  @Test
  void aDegradedNodeOwnsNothingEvenWhereItWouldBeTheOwner() {
    Assignment alone = new Assignment(List.of("a"), "a", false);
    assertThat(alone.owns("s0")).isFalse();
    assertThat(alone.ownerOf("s0")).isEqualTo("a");
  }

  @Test
  void survivesItsJson() {
    Assignment assignment = new Assignment(List.of("a", "b"), "b", true);
    assertThat(Assignment.fromJson(assignment.toJson())).isEqualTo(assignment);
    assertThat(Assignment.fromJson(Assignment.SINGLE_PROCESS.toJson()))
        .isEqualTo(Assignment.SINGLE_PROCESS);
  }
}
