package io.extrophi.orchestrator.status;

import io.extrophi.orchestrator.state.CorruptStateException;
import io.extrophi.orchestrator.stats.BufferReader;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
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
   * The configured services of a payload (a copy of another node's state has no others). Public for
   * {@code bench.StateFiller}, which times a restore.
   *
   * @throws CorruptStateException when the payload is not a valid state
   */
  public static Map<String, ServiceStatus> decode(
      Buffer payload, int historySize, Instant restartedAt) {
    return decodeSaved(payload, historySize, restartedAt).services();
  }

  /**
   * The whole payload of the state file: the services configured when it was written, then those
   * removed and kept aside (absent from files written before they were kept).
   *
   * @throws CorruptStateException when the payload is not a valid state
   */
  static Saved decodeSaved(Buffer payload, int historySize, Instant restartedAt) {
    SlicedDecoder decoder = new SlicedDecoder(payload, historySize, restartedAt);
    decoder.readServices(Integer.MAX_VALUE);
    return decoder.finish();
  }

  /**
   * As {@link #decodeSaved}, on worker threads, {@code perSlice} services at a time: the caller's
   * event loop stays free however large the state (100,000 full services take seconds to decode),
   * and no worker is held for all of it.
   *
   * @return fails with {@link CorruptStateException} when the payload is not a valid state
   */
  static Future<Saved> decodeSavedInSlices(
      Vertx vertx, Buffer payload, int historySize, Instant restartedAt, int perSlice) {
    Promise<Saved> decoded = Promise.promise();
    vertx
        .executeBlocking(() -> new SlicedDecoder(payload, historySize, restartedAt), false)
        .onSuccess(decoder -> decodeNextSlice(vertx, decoder, perSlice, decoded))
        .onFailure(decoded::fail);
    return decoded.future();
  }

  /**
   * Decodes the next slice, then the one after it: a loop of callbacks, not a chain of futures,
   * which would keep every slice's function alive until the last.
   */
  private static void decodeNextSlice(
      Vertx vertx, SlicedDecoder decoder, int perSlice, Promise<Saved> decoded) {
    vertx
        .executeBlocking(() -> decoder.readServices(perSlice) ? decoder.finish() : null, false)
        .onComplete(
            slice -> {
              if (slice.failed()) {
                decoded.fail(slice.cause());
              } else if (slice.result() != null) {
                decoded.complete(slice.result());
              } else {
                decodeNextSlice(vertx, decoder, perSlice, decoded);
              }
            });
  }

  /**
   * Reads a payload from the start: its header on construction, then the services a slice at a
   * time, then what follows them. Used by one thread at a time (a slice may be read on another
   * worker thread than the one before it: the futures between them order the two).
   */
  private static final class SlicedDecoder {
    private final BufferReader in;
    private final int historySize;
    private final Instant restartedAt;
    private final boolean format2;
    private final int count;
    private final Map<String, ServiceStatus> services;
    private int read;

    SlicedDecoder(Buffer payload, int historySize, Instant restartedAt) {
      this.in = new BufferReader(payload);
      this.historySize = historySize;
      this.restartedAt = restartedAt;
      int first = in.readInt("service count", FORMAT_3, MAX_SERVICES);
      format2 = first == FORMAT_2 || first == FORMAT_3;
      if (!format2 && first < 0) {
        throw new CorruptStateException("unknown state payload format " + first);
      }
      count = format2 ? in.readInt("service count", 0, MAX_SERVICES) : first;
      // Sized for all of them up front: rehashing a map of 100,000 entries several times over
      // costs more than the slack.
      services = new LinkedHashMap<>((int) (count / 0.75f) + 1);
    }

    /**
     * Reads up to {@code most} more services.
     *
     * @return whether every service has been read
     */
    boolean readServices(int most) {
      int end = (int) Math.min(count, (long) read + most);
      for (; read < end; read++) {
        ServiceStatus status = ServiceStatus.readFrom(in, historySize, restartedAt, format2);
        services.put(status.name(), status);
      }
      return read == count;
    }

    /** What follows the services; call once {@link #readServices} returned {@code true}. */
    Saved finish() {
      List<RemovedServices.Removed> removed =
          RemovedServices.readSection(in, historySize, restartedAt);
      if (in.remaining() != 0) {
        throw new CorruptStateException(
            in.remaining() + " unexpected bytes after the last service");
      }
      return new Saved(services, removed);
    }
  }

  /**
   * A decoded state file.
   *
   * @param services the services configured when it was written, by name
   * @param removed the services removed before, kept aside
   */
  record Saved(Map<String, ServiceStatus> services, List<RemovedServices.Removed> removed) {}
}
