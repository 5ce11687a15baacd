package io.extrophi.orchestrator.cluster;

import java.util.List;

/**
 * Rendezvous (highest random weight) hashing: a service belongs to the node with the highest score
 * for the pair. Every node computes the same owner from the same member list, with no coordination,
 * and when a node joins or leaves only the services it gains or held change hands (about 1/n of the
 * fleet), unlike a modulo split.
 *
 * <p>The hash is FNV-1a over the UTF-16 code units followed by the SplitMix64 finaliser: stable
 * across JVMs and versions (unlike {@link Object#hashCode()} for arbitrary objects), and well
 * spread even for names that differ in one character.
 */
final class Rendezvous {

  private Rendezvous() {}

  /**
   * The owner of {@code key} among {@code nodes}; {@code null} when there are no nodes.
   *
   * @param nodes the ids of the live nodes, in any order
   */
  static String owner(String key, List<String> nodes) {
    long keyHash = hash(key);
    String best = null;
    long bestScore = 0;
    for (String node : nodes) {
      long score = mix(hash(node) ^ keyHash);
      int order = best == null ? 1 : Long.compareUnsigned(score, bestScore);
      if (order > 0 || (order == 0 && node.compareTo(best) < 0)) {
        best = node;
        bestScore = score;
      }
    }
    return best;
  }

  static long hash(String text) {
    long hash = 0xcbf29ce484222325L;
    for (int i = 0; i < text.length(); i++) {
      hash ^= text.charAt(i);
      hash *= 0x100000001b3L;
    }
    return mix(hash);
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
