package io.extrophi.orchestrator.view;

import io.extrophi.orchestrator.time.Timestamps;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.shareddata.Shareable;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The body of {@code GET /health/status}, encoded once after a change and served as it is to every
 * request until the next change, from any event loop: it is immutable.
 *
 * <p>Only the {@code timestamp} (the time of the answer, the first key) differs between two
 * answers, so the bytes after it are kept, and each answer is the timestamp followed by a copy of
 * those bytes.
 */
public final class EncodedSnapshot implements Shareable {

  /** How long a snapshot may be served while nothing changes: the time windows move meanwhile. */
  static final long MAX_AGE_MS = StatusJson.MAX_AGE_MS;

  private static final byte[] OPENING = "{\"timestamp\":\"".getBytes(StandardCharsets.US_ASCII);

  private final byte[] afterTimestamp;
  private final long builtAtMillis;

  /**
   * @param afterTimestamp the encoded JSON from the quote that closes the timestamp to the end
   * @param builtAtMillis when the statistics in it were computed
   */
  EncodedSnapshot(byte[] afterTimestamp, long builtAtMillis) {
    this.afterTimestamp = afterTimestamp;
    this.builtAtMillis = builtAtMillis;
  }

  /** Whether it may still be served at {@code nowMillis}. */
  public boolean isFreshAt(long nowMillis) {
    return nowMillis >= builtAtMillis && nowMillis - builtAtMillis <= MAX_AGE_MS;
  }

  /** The whole JSON document, stamped with {@code now}. */
  public Buffer render(Instant now) {
    byte[] stamp = Timestamps.format(now).getBytes(StandardCharsets.US_ASCII);
    // One array, not a composite of the stamp and the shared part: Netty turns a composite into
    // a fresh heap copy before it copies that again to the socket's direct memory (that copy was
    // half of all the memory the status path allocated).
    byte[] body = new byte[OPENING.length + stamp.length + afterTimestamp.length];
    System.arraycopy(OPENING, 0, body, 0, OPENING.length);
    System.arraycopy(stamp, 0, body, OPENING.length, stamp.length);
    System.arraycopy(afterTimestamp, 0, body, OPENING.length + stamp.length, afterTimestamp.length);
    return BufferInternal.buffer(Unpooled.wrappedBuffer(body));
  }

  /** Size of the shared part, for tests and benchmarks. */
  int sharedBytes() {
    return afterTimestamp.length;
  }
}
