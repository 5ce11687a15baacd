package io.extrophi.orchestrator.status;

import io.extrophi.orchestrator.bus.CircuitState;
import io.extrophi.orchestrator.state.CorruptStateException;
import io.extrophi.orchestrator.stats.BufferReader;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The statistics of services a reload removed, kept for {@link #RETENTION} so that a service added
 * again (an edit undone, a file deployed in two steps, a service moved to the end of the list and
 * back) continues its counts instead of starting from zero. Plain logic: time only as arguments.
 *
 * <p>A removed service's circuit ends with its removal: an open or half-open one is closed at that
 * moment (the open period counts as down until then, as for any circuit that closes), because when
 * it comes back it is probed afresh with a closed circuit, as a service whose check changed.
 *
 * <p>At most {@link #MAX_RETAINED} are kept, the most recently removed; about 11 KB each at most.
 */
public final class RemovedServices {

  /** How long a removed service's statistics are kept: the latency window's hour. */
  public static final Duration RETENTION = Duration.ofHours(1);

  /** The most removed services kept at once (about 11 MB of heap at most). */
  public static final int MAX_RETAINED = 1_000;

  /** Opens the section of the state file that holds them, after the configured services. */
  private static final int SECTION_MARKER = 0x52454D56; // "REMV"

  /**
   * A removed service.
   *
   * @param status its statistics as they were when it was removed
   * @param removedAtMillis when it was removed
   */
  record Removed(ServiceStatus status, long removedAtMillis) {}

  // In the order of removal: the eldest first, the first to go over the cap.
  private final Map<String, Removed> byName = new LinkedHashMap<>();

  /** Keeps {@code status}, removed at {@code removedAt}, replacing an earlier one of that name. */
  public void retain(ServiceStatus status, Instant removedAt) {
    if (status.circuitState() != CircuitState.CLOSED) {
      status.applyCircuit(CircuitState.CLOSED, removedAt);
    }
    byName.remove(status.name());
    byName.put(status.name(), new Removed(status, removedAt.toEpochMilli()));
    expire(removedAt);
  }

  /** Takes back the statistics of {@code name} if it was removed within {@link #RETENTION}. */
  public Optional<ServiceStatus> takeBack(String name, Instant now) {
    expire(now);
    Removed removed = byName.remove(name);
    return removed == null ? Optional.empty() : Optional.of(removed.status());
  }

  /** Drops what was removed longer than {@link #RETENTION} ago, and the eldest over the cap. */
  public void expire(Instant now) {
    long oldest = now.toEpochMilli() - RETENTION.toMillis();
    Iterator<Removed> eldestFirst = byName.values().iterator();
    int over = byName.size() - MAX_RETAINED;
    while (eldestFirst.hasNext()) {
      Removed removed = eldestFirst.next();
      if (over > 0 || removed.removedAtMillis() < oldest) {
        eldestFirst.remove();
        over--;
      }
    }
  }

  public int size() {
    return byName.size();
  }

  public boolean contains(String name) {
    return byName.containsKey(name);
  }

  /**
   * The section of the state file after the configured services: nothing at all when no service is
   * kept (so the file is then exactly what it was before removed services were kept), else a
   * marker, the count and each service with the time it was removed.
   */
  Buffer section() {
    if (byName.isEmpty()) {
      return Buffer.buffer();
    }
    Buffer out = Buffer.buffer().appendInt(SECTION_MARKER).appendInt(byName.size());
    for (Removed removed : byName.values()) {
      out.appendLong(removed.removedAtMillis());
      removed.status().writeTo(out);
    }
    return out;
  }

  /**
   * Reads what {@link #section()} wrote, from where the configured services end.
   *
   * @throws CorruptStateException when the section is not valid
   */
  static List<Removed> readSection(BufferReader in, int historySize, Instant restartedAt) {
    List<Removed> removed = new ArrayList<>();
    if (in.remaining() == 0) {
      return removed;
    }
    // Anything else after the last configured service is damage, and fails here.
    in.readInt("removed services marker", SECTION_MARKER, SECTION_MARKER);
    int count = in.readInt("removed service count", 0, 1_000_000);
    for (int i = 0; i < count; i++) {
      long removedAt = in.readLong();
      // The section exists only in states of format 2 and later, where each status ends with its
      // check fingerprint.
      removed.add(
          new Removed(ServiceStatus.readFrom(in, historySize, restartedAt, true), removedAt));
    }
    return removed;
  }

  /** Keeps the saved ones, as they were removed (for a restored state). */
  void retainSaved(List<Removed> saved, Instant now) {
    for (Removed removed : saved) {
      byName.remove(removed.status().name());
      byName.put(removed.status().name(), removed);
    }
    expire(now);
  }
}
