package io.extrophi.orchestrator.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.EntryAdapter;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.replicatedmap.ReplicatedMap;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@link ClusterMembership} read from Hazelcast's member list: the orchestrator nodes are the
 * members whose {@link HazelcastSetup#ROLE_ATTRIBUTE} says so and that are in {@link
 * HazelcastSetup#PROBING_MAP} (or, from a version before it, do not announce), and a node's id is
 * its member UUID. The member list and the replicated map are local to the node (no remote call),
 * so reading them often is cheap.
 */
public final class HazelcastMembership implements ClusterMembership {

  private final HazelcastInstance hazelcast;
  private final String nodeId;
  private final ReplicatedMap<String, Boolean> probing;

  /**
   * Waits until this member holds the entries of {@link HazelcastSetup#PROBING_MAP} (see there):
   * call it before any event loop reads the members.
   *
   * @param manager a cluster manager that has joined (Vert.x was built clustered with it)
   */
  public HazelcastMembership(HazelcastClusterManager manager) {
    this.hazelcast = manager.getHazelcastInstance();
    this.nodeId = hazelcast.getCluster().getLocalMember().getUuid().toString();
    this.probing = hazelcast.getReplicatedMap(HazelcastSetup.PROBING_MAP);
    probing.size();
  }

  @Override
  public String nodeId() {
    return nodeId;
  }

  @Override
  public List<String> orchestratorNodes() {
    if (!isConnected()) {
      return List.of();
    }
    return hazelcast.getCluster().getMembers().stream()
        .filter(
            member ->
                HazelcastSetup.ORCHESTRATOR_ROLE.equals(
                    member.getAttribute(HazelcastSetup.ROLE_ATTRIBUTE)))
        .filter(this::probes)
        .map(Member::getUuid)
        .map(Object::toString)
        .sorted()
        .toList();
  }

  private boolean probes(Member member) {
    return member.getAttribute(HazelcastSetup.ANNOUNCES_PROBING_ATTRIBUTE) == null
        || probing.containsKey(member.getUuid().toString());
  }

  /** Also forgets the nodes that have left since the last node announced itself. */
  @Override
  public void announceProbing() {
    probing.put(nodeId, true);
    Set<String> members =
        hazelcast.getCluster().getMembers().stream()
            .map(member -> member.getUuid().toString())
            .collect(Collectors.toSet());
    probing.keySet().stream().filter(node -> !members.contains(node)).forEach(probing::remove);
  }

  @Override
  public boolean isConnected() {
    return hazelcast.getLifecycleService().isRunning();
  }

  @Override
  public void onChange(Runnable listener) {
    hazelcast
        .getCluster()
        .addMembershipListener(
            new MembershipListener() {
              @Override
              public void memberAdded(MembershipEvent event) {
                listener.run();
              }

              @Override
              public void memberRemoved(MembershipEvent event) {
                listener.run();
              }
            });
    hazelcast.getLifecycleService().addLifecycleListener(event -> listener.run());
    probing.addEntryListener(
        new EntryAdapter<>() {
          @Override
          public void onEntryEvent(EntryEvent<String, Boolean> event) {
            listener.run();
          }
        });
  }
}
