package io.extrophi.orchestrator.bus;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary form of a {@link StatusEventBatch} between the nodes of a cluster, on {@link
 * EventBusAddresses#CLUSTER_EVENTS}: encoded once by the node that probed (the event bus copies the
 * bytes to each node) and read straight into records by the others, without the JSON objects, JSON
 * text and timestamp strings of {@link StatusEventBatch#toReplicationJson}, which cost the
 * receiving nodes about as much as the probes themselves.
 *
 * <p>{@code int format, string node, long sequence, int count}, then per event a kind byte and its
 * fields: a probe result {@code string service, byte flags (healthy, status code, response time,
 * error message present), [short status code], [double response time], [string error message], long
 * epoch second, int nanosecond}; a circuit transition {@code string service, byte from, byte to,
 * string reason, long epoch second, int nanosecond}. A string is an unsigned short length and UTF-8
 * bytes.
 */
public final class ReplicatedBatchCodec {

  /** The first int: the format of what follows. */
  static final int FORMAT = 0x0E5B_0001;

  private static final byte PROBE_RESULT = 1;
  private static final byte BREAKER_TRANSITION = 2;
  private static final int HEALTHY = 1;
  private static final int HAS_STATUS_CODE = 2;
  private static final int HAS_RESPONSE_TIME = 4;
  private static final int HAS_ERROR = 8;

  private ReplicatedBatchCodec() {}

  /** {@code batch} as published by {@code node}. */
  public static Buffer encode(String node, StatusEventBatch batch) {
    Buffer out = Buffer.buffer(64 + batch.events().size() * 64);
    out.appendInt(FORMAT);
    writeString(out, node);
    out.appendLong(batch.sequence());
    out.appendInt(batch.events().size());
    for (StatusEvent event : batch.events()) {
      if (event instanceof ProbeResult result) {
        out.appendByte(PROBE_RESULT);
        writeString(out, result.service());
        int flags =
            (result.healthy() ? HEALTHY : 0)
                | (result.statusCode() != null ? HAS_STATUS_CODE : 0)
                | (result.responseTimeMs() != null ? HAS_RESPONSE_TIME : 0)
                | (result.errorMessage() != null ? HAS_ERROR : 0);
        out.appendByte((byte) flags);
        if (result.statusCode() != null) {
          out.appendShort((short) result.statusCode().intValue());
        }
        if (result.responseTimeMs() != null) {
          out.appendDouble(result.responseTimeMs());
        }
        if (result.errorMessage() != null) {
          writeString(out, result.errorMessage());
        }
        writeInstant(out, result.checkedAt());
      } else if (event instanceof BreakerTransition transition) {
        out.appendByte(BREAKER_TRANSITION);
        writeString(out, transition.service());
        out.appendByte((byte) transition.from().ordinal());
        out.appendByte((byte) transition.to().ordinal());
        writeString(out, transition.reason());
        writeInstant(out, transition.at());
      }
    }
    return out;
  }

  /**
   * @throws IllegalArgumentException when {@code in} is not a batch of this format
   */
  public static StatusEventBatch.Replicated decode(Buffer in) {
    try {
      int[] at = {0};
      int format = in.getInt(0);
      if (format != FORMAT) {
        throw new IllegalArgumentException("unknown replicated batch format " + format);
      }
      at[0] = 4;
      String node = readString(in, at);
      long sequence = in.getLong(at[0]);
      int count = in.getInt(at[0] + 8);
      at[0] += 12;
      if (count < 0 || count > in.length()) {
        throw new IllegalArgumentException("impossible event count " + count);
      }
      List<StatusEvent> events = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        byte kind = in.getByte(at[0]++);
        String service = readString(in, at);
        if (kind == PROBE_RESULT) {
          int flags = in.getByte(at[0]++);
          Integer statusCode = null;
          Double responseTime = null;
          String error = null;
          if ((flags & HAS_STATUS_CODE) != 0) {
            statusCode = (int) in.getShort(at[0]);
            at[0] += 2;
          }
          if ((flags & HAS_RESPONSE_TIME) != 0) {
            responseTime = in.getDouble(at[0]);
            at[0] += 8;
          }
          if ((flags & HAS_ERROR) != 0) {
            error = readString(in, at);
          }
          events.add(
              new ProbeResult(
                  service,
                  (flags & HEALTHY) != 0,
                  statusCode,
                  responseTime,
                  error,
                  readInstant(in, at)));
        } else if (kind == BREAKER_TRANSITION) {
          CircuitState from = CircuitState.values()[in.getByte(at[0])];
          CircuitState to = CircuitState.values()[in.getByte(at[0] + 1)];
          at[0] += 2;
          String reason = readString(in, at);
          events.add(new BreakerTransition(service, from, to, reason, readInstant(in, at)));
        } else {
          throw new IllegalArgumentException("unknown event kind " + kind);
        }
      }
      if (at[0] != in.length()) {
        throw new IllegalArgumentException((in.length() - at[0]) + " bytes after the last event");
      }
      return new StatusEventBatch.Replicated(node, new StatusEventBatch(events, sequence));
    } catch (IndexOutOfBoundsException truncated) {
      throw new IllegalArgumentException("truncated replicated batch", truncated);
    }
  }

  private static void writeString(Buffer out, String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > 0xFFFF) {
      // A reason or an error message this long says nothing more than its beginning.
      bytes = value.substring(0, 0x3FFF).getBytes(StandardCharsets.UTF_8);
    }
    out.appendUnsignedShort(bytes.length);
    out.appendBytes(bytes);
  }

  private static String readString(Buffer in, int[] at) {
    int length = in.getUnsignedShort(at[0]);
    String value = in.getString(at[0] + 2, at[0] + 2 + length, "UTF-8");
    at[0] += 2 + length;
    return value;
  }

  private static void writeInstant(Buffer out, Instant instant) {
    out.appendLong(instant.getEpochSecond());
    out.appendInt(instant.getNano());
  }

  private static Instant readInstant(Buffer in, int[] at) {
    Instant instant = Instant.ofEpochSecond(in.getLong(at[0]), in.getInt(at[0] + 8));
    at[0] += 12;
    return instant;
  }
}
