package io.extrophi.orchestrator.status;

import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Another node's state as it arrives in chunks: the services decoded so far and, per service, which
 * batches of events the chunk that carried it held.
 *
 * <p>The source encodes each chunk when it is asked for it, so a later chunk holds more of the
 * cluster's batches than an earlier one; every chunk comes with the source's watermarks at the time
 * it was encoded. A batch replicated during the copy is therefore in some services of the copy and
 * not in others: {@link #holds} tells, per service, so it is applied exactly to the services whose
 * chunk did not have it. The copy as a whole holds every batch up to {@link #lowestWatermarks()},
 * which is where the {@link ReplicationLog} continues from.
 *
 * <p>Not thread-safe: used from the status verticle's event loop.
 */
final class CopiedState {

  private final Map<String, ServiceStatus> services = new LinkedHashMap<>();
  private final Map<String, Map<String, Long>> heldBy = new HashMap<>();
  private Map<String, Long> lowest;
  private Map<String, Long> highest = Map.of();
  private int chunks;
  private long bytes;
  private int largestChunk;

  /**
   * Takes a decoded chunk.
   *
   * @param watermarks the source's watermarks when it encoded the chunk
   * @param size the chunk's size in bytes, for the report
   */
  void add(Map<String, ServiceStatus> chunk, JsonObject watermarks, int size) {
    Map<String, Long> held = new HashMap<>();
    watermarks.forEach(entry -> held.put(entry.getKey(), ((Number) entry.getValue()).longValue()));
    chunk.forEach(
        (name, status) -> {
          services.put(name, status);
          heldBy.put(name, held);
        });
    if (lowest == null) {
      lowest = new HashMap<>(held);
    } else {
      // A node missing from a chunk's watermarks had no batch in it.
      lowest.replaceAll((node, sequence) -> Math.min(sequence, held.getOrDefault(node, 0L)));
    }
    Map<String, Long> higher = new HashMap<>(highest);
    held.forEach((node, sequence) -> higher.merge(node, sequence, Math::max));
    highest = higher;
    chunks++;
    bytes += size;
    largestChunk = Math.max(largestChunk, size);
  }

  /** The services copied, by name. */
  Map<String, ServiceStatus> services() {
    return services;
  }

  /**
   * Whether the copy of {@code service} already holds batch {@code sequence} of {@code node}. A
   * service the copy does not carry holds what the copy as a whole holds.
   */
  boolean holds(String service, String node, long sequence) {
    Map<String, Long> held = heldBy.get(service);
    Map<String, Long> watermarks = held != null ? held : lowestWatermarks();
    return sequence <= watermarks.getOrDefault(node, 0L);
  }

  /** The batches every service of the copy holds: those of its first chunk, at the least. */
  Map<String, Long> lowestWatermarks() {
    return lowest == null ? Map.of() : lowest;
  }

  /**
   * Whether a batch of {@code node} numbered {@code sequence} can still be in some service of the
   * copy and not in others; once every node's applied batches passed this, the copy no longer needs
   * to be consulted.
   */
  boolean isPartlyHeld(String node, long sequence) {
    return sequence <= highest.getOrDefault(node, 0L);
  }

  /** The highest watermark of any chunk, per node. */
  Map<String, Long> highestWatermarks() {
    return highest;
  }

  JsonObject lowestAsJson() {
    JsonObject json = new JsonObject();
    lowestWatermarks().forEach(json::put);
    return json;
  }

  int chunks() {
    return chunks;
  }

  long bytes() {
    return bytes;
  }

  int largestChunk() {
    return largestChunk;
  }
}
