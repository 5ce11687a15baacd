package io.extrophi.orchestrator.status;

import io.extrophi.orchestrator.state.CorruptStateException;
import io.extrophi.orchestrator.stats.BufferReader;
import io.vertx.core.buffer.Buffer;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The payload of the state file: every service's status, statistics and circuit state. Public for
 * {@code bench.StateFiller}, which writes a state file with every statistic full.
 *
 * <p>Format 1 starts with the service count; format 2 starts with {@link #FORMAT_2} (a negative
 * int, which no count of format 1 is), then the count, and each service ends with the fingerprint
 * of its check. Format 3 ({@link #FORMAT_3}) is format 2 with the compact statistics (latency
 * window format 3, availability format 2, history format 2; each structure also carries its own
 * version): a service full at one probe a second takes about 5 KB where format 2 took 15 KB. All
 * three are read; a version of the orchestrator before format 3 cannot read it (it moves the file
 * aside and starts fresh).
 */
public final class StatusStateCodec {

  private static final int MAX_SERVICES = 1_000_000;

  /** The first int of a format 2 payload, in place of format 1's service count. */
  static final int FORMAT_2 = -2;

  /** The first int of a format 3 payload: format 2 with the compact statistics. */
  static final int FORMAT_3 = -3;

  private StatusStateCodec() {}

  /**
   * The same bytes as {@link #encode}, a chunk of {@code perChunk} services at a time: each call of
   * the supplier encodes the next chunk, {@code null} after the last.
   */
  static Supplier<Buffer> chunks(List<ServiceStatus> services, int perChunk) {
    return chunks(services, perChunk, Buffer.buffer());
  }

  /**
   * As {@link #chunks(List, int)}, with the {@linkplain RemovedServices#section() removed services'
   * section} after the configured services.
   */
  static Supplier<Buffer> chunks(List<ServiceStatus> services, int perChunk, Buffer removed) {
    Supplier<Buffer> configured = configuredChunks(services, perChunk);
    boolean[] removedWritten = {removed.length() == 0};
    return () -> {
      Buffer chunk = configured.get();
      if (chunk == null && !removedWritten[0]) {
        removedWritten[0] = true;
        return removed;
      }
      return chunk;
    };
  }

  private static Supplier<Buffer> configuredChunks(List<ServiceStatus> services, int perChunk) {
    int[] next = {-1};
    int[] lastLength = {0};
    return () -> {
      if (next[0] < 0) {
        next[0] = 0;
        return Buffer.buffer(8).appendInt(FORMAT_3).appendInt(services.size());
      }
      if (next[0] >= services.size()) {
        return null;
      }
      int end = Math.min(services.size(), next[0] + perChunk);
      // Sized like the chunk before it (plus an eighth): a buffer that grows by doubling from
      // nothing copies a 1 MB chunk a dozen times over.
      Buffer out = Buffer.buffer(Math.max(4_096, lastLength[0] + lastLength[0] / 8));
      for (int i = next[0]; i < end; i++) {
        services.get(i).writeTo(out);
      }
      next[0] = end;
      lastLength[0] = out.length();
      return out;
    };
  }

  public static Buffer encode(Iterable<ServiceStatus> services) {
    Buffer out = Buffer.buffer();
    out.appendInt(FORMAT_3);
    int countAt = out.length();
    out.appendInt(0);
    int count = 0;
    for (ServiceStatus status : services) {
      status.writeTo(out);
      count++;
    }
    return out.setInt(countAt, count);
  }

  /**
   * The configured services of a payload (a copy of another node's state has no others).
   *
   * @throws CorruptStateException when the payload is not a valid state
   */
  static Map<String, ServiceStatus> decode(Buffer payload, int historySize, Instant restartedAt) {
    return decodeSaved(payload, historySize, restartedAt).services();
  }

  /**
   * The whole payload of the state file: the services configured when it was written, then those
   * removed and kept aside (absent from files written before they were kept).
   *
   * @throws CorruptStateException when the payload is not a valid state
   */
  static Saved decodeSaved(Buffer payload, int historySize, Instant restartedAt) {
    BufferReader in = new BufferReader(payload);
    int first = in.readInt("service count", FORMAT_3, MAX_SERVICES);
    boolean format2 = first == FORMAT_2 || first == FORMAT_3;
    if (!format2 && first < 0) {
      throw new CorruptStateException("unknown state payload format " + first);
    }
    int count = format2 ? in.readInt("service count", 0, MAX_SERVICES) : first;
    Map<String, ServiceStatus> services = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      ServiceStatus status = ServiceStatus.readFrom(in, historySize, restartedAt, format2);
      services.put(status.name(), status);
    }
    List<RemovedServices.Removed> removed =
        RemovedServices.readSection(in, historySize, restartedAt);
    if (in.remaining() != 0) {
      throw new CorruptStateException(in.remaining() + " unexpected bytes after the last service");
    }
    return new Saved(services, removed);
  }

  /**
   * A decoded state file.
   *
   * @param services the services configured when it was written, by name
   * @param removed the services removed before, kept aside
   */
  record Saved(Map<String, ServiceStatus> services, List<RemovedServices.Removed> removed) {}
}
