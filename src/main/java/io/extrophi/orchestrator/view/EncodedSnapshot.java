package io.extrophi.orchestrator.view;

import io.extrophi.orchestrator.time.Timestamps;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.shareddata.Shareable;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * The body of {@code GET /health/status}, encoded once after a change and served as it is to every
 * request until the next change, from any event loop: it is immutable.
 *
 * <p>Only the {@code timestamp} (the time of the answer, the first key) differs between two
 * answers, so the bytes after it are kept, and each answer is the timestamp followed by those
 * bytes.
 *
 * <p>The bytes after the timestamp are kept as the parts they were made of (each service's own
 * encoded JSON, which the service keeps anyway), never joined: at 100,000 services the joined
 * document is 40 MB, and a copy of it per snapshot and per answer was most of what the API
 * allocated. An answer is {@linkplain #at read in chunks} and written as the socket takes them.
 */
public final class EncodedSnapshot implements Shareable {

  /** How long a snapshot may be served while nothing changes: the time windows move meanwhile. */
  static final long MAX_AGE_MS = StatusJson.MAX_AGE_MS;

  private static final byte[] OPENING = "{\"timestamp\":\"".getBytes(StandardCharsets.US_ASCII);

  private final byte[][] afterTimestamp;
  private final int afterTimestampLength;
  private final long builtAtMillis;

  /**
   * @param afterTimestamp the encoded JSON from the quote that closes the timestamp to the end, in
   *     parts never changed afterwards
   * @param builtAtMillis when the statistics in it were computed
   */
  EncodedSnapshot(List<byte[]> afterTimestamp, long builtAtMillis) {
    this.afterTimestamp = afterTimestamp.toArray(new byte[0][]);
    int length = 0;
    for (byte[] part : this.afterTimestamp) {
      length = Math.addExact(length, part.length);
    }
    this.afterTimestampLength = length;
    this.builtAtMillis = builtAtMillis;
  }

  /** Whether it may still be served at {@code nowMillis}. */
  public boolean isFreshAt(long nowMillis) {
    return nowMillis >= builtAtMillis && nowMillis - builtAtMillis <= MAX_AGE_MS;
  }

  /**
   * The whole JSON document, stamped with {@code now}, in one buffer: for the small documents (the
   * event stream's, the trigger's); {@code GET /health/status} reads {@link #at} in chunks.
   */
  public Buffer render(Instant now) {
    Reading reading = at(now);
    return reading.next(reading.length());
  }

  /** The whole JSON document stamped with {@code now}, to be read in chunks. */
  public Reading at(Instant now) {
    return new Reading(Timestamps.format(now).getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * One answer's bytes, read front to back in chunks of a size the reader chooses. Not shared: one
   * per answer, read on one event loop.
   */
  public final class Reading {
    private final byte[] head;
    private final int length;
    private int position;
    // Where in the parts the next byte is: part -1 is the head (the opening and the timestamp).
    private int part = -1;
    private int offsetInPart;

    private Reading(byte[] stamp) {
      head = new byte[OPENING.length + stamp.length];
      System.arraycopy(OPENING, 0, head, 0, OPENING.length);
      System.arraycopy(stamp, 0, head, OPENING.length, stamp.length);
      length = Math.addExact(head.length, afterTimestampLength);
    }

    /** The length of the whole document in bytes (its {@code Content-Length}). */
    public int length() {
      return length;
    }

    public boolean hasNext() {
      return position < length;
    }

    /** The next at most {@code maxBytes} bytes, in one array (see {@link #render} for why). */
    public Buffer next(int maxBytes) {
      int size = Math.min(maxBytes, length - position);
      byte[] chunk = new byte[size];
      int filled = 0;
      while (filled < size) {
        byte[] source = part < 0 ? head : afterTimestamp[part];
        int copied = Math.min(size - filled, source.length - offsetInPart);
        System.arraycopy(source, offsetInPart, chunk, filled, copied);
        filled += copied;
        offsetInPart += copied;
        if (offsetInPart == source.length) {
          part++;
          offsetInPart = 0;
        }
      }
      position += size;
      // One array, not a composite of parts: Netty turns a composite into a fresh heap copy
      // before it copies that again to the socket's direct memory.
      return BufferInternal.buffer(Unpooled.wrappedBuffer(chunk));
    }
  }

  /** Size of the shared part, for tests and benchmarks. */
  int sharedBytes() {
    return afterTimestampLength;
  }
}
