package io.extrophi.orchestrator.cluster;

import java.util.List;

/**
 * The view of the cluster that the orchestrator needs: which orchestrator nodes are live (other
 * members, such as a subscriber, are not counted) and whether this node is still in the cluster.
 */
public interface ClusterMembership {

  /** This node's id, the same as the Vert.x cluster manager's node id. */
  String nodeId();

  /**
   * The ids of the live orchestrator nodes that probe, this one included once it {@link
   * #announceProbing announced} it while it is connected, sorted. A node that has joined but not
   * announced yet (it is copying the state of the cluster) is not among them, so the others go on
   * probing its share.
   */
  List<String> orchestratorNodes();

  /**
   * Tells every node that this one probes from now on: it counts among the {@link
   * #orchestratorNodes} everywhere, and takes its share. Blocks on a call to the cluster: never on
   * an event loop.
   */
  void announceProbing();

  /** Whether this node is still a member of the cluster. */
  boolean isConnected();

  /**
   * Calls {@code listener} after the members or the connection changed, from any thread. Callers
   * should also poll: a missed notification must only delay, never lose, a change.
   */
  void onChange(Runnable listener);
}
