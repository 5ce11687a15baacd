package io.extrophi.orchestrator.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.List;

/**
 * {@link ClusterMembership} read from Hazelcast's member list: the orchestrator nodes are the
 * members whose {@link HazelcastSetup#ROLE_ATTRIBUTE} says so, and a node's id is its member UUID.
 * The member list is local to the node (no remote call), so reading it often is cheap.
 */
public final class HazelcastMembership implements ClusterMembership {

  private final HazelcastInstance hazelcast;
  private final String nodeId;

  /**
   * @param manager a cluster manager that has joined (Vert.x was built clustered with it)
   */
  public HazelcastMembership(HazelcastClusterManager manager) {
    this.hazelcast = manager.getHazelcastInstance();
    this.nodeId = hazelcast.getCluster().getLocalMember().getUuid().toString();
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
        .map(Member::getUuid)
        .map(Object::toString)
        .sorted()
        .toList();
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
  }
}
