package io.extrophi.orchestrator.stats;

import io.extrophi.orchestrator.bus.ProbeResult;
import io.extrophi.orchestrator.state.CorruptStateException;
import io.vertx.core.buffer.Buffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The last {@code N} probe results of one service (default 100), newest overwriting oldest.
 *
 * <p><b>Layout.</b> A ring of primitive arrays instead of {@code N} {@link ProbeResult} objects
 * (which cost about 150 bytes each with their boxed fields and {@link Instant}): check time as
 * epoch microseconds ({@code long}), response time as microseconds ({@code int}, {@code -1} for
 * none, clamped at 35 minutes), status code ({@code short}, {@code 0} for none), healthy ({@code
 * byte}) and the error message as a {@code short} reference into an intern table. Probes repeat the
 * same few messages ({@code HTTP 503}, {@code connection refused}), so a repeated message costs two
 * bytes. Response times are kept to the microsecond, check times to the microsecond, which is what
 * the API prints.
 *
 * <p><b>Intern table.</b> Entries are reference-counted and freed when the last result using them
 * is overwritten, so the table only holds messages still in the ring and never more than {@link
 * #MAX_INTERNED} (256) of them. When it is full of live messages (possible only with a capacity
 * above 256 and that many distinct messages) further messages are stored as plain string references
 * in a per-slot array that is allocated only then. Messages longer than {@link #MAX_MESSAGE_CHARS}
 * are truncated on {@link #add}; together this bounds the memory of a history whatever the probes
 * report.
 *
 * <p><b>Footprint per service</b> with capacity 100: 1,936 bytes empty (ring arrays and a small
 * intern table), about 2.2 KB with four distinct messages in it; see {@link
 * #estimatedFootprintBytes()}.
 *
 * <p>Not thread-safe: one instance is used by one event loop.
 */
public final class PreviousResultHistory {

  /** Default number of results kept. */
  public static final int DEFAULT_CAPACITY = 100;

  /** Largest capacity accepted, here and when decoding. */
  public static final int MAX_CAPACITY = 100_000;

  /** Most distinct messages interned per history. */
  public static final int MAX_INTERNED = 256;

  /** Longer error messages are truncated to this many characters. */
  public static final int MAX_MESSAGE_CHARS = 1_024;

  /** Longest service name accepted when decoding, in UTF-8 bytes. */
  static final int MAX_NAME_BYTES = 4_096;

  private static final byte TYPE_TAG = 'H';
  private static final byte FORMAT_VERSION = 1;
  private static final int NO_RESPONSE = -1;
  private static final short NO_MESSAGE = -1;
  private static final short OVERFLOW_MESSAGE = -2;
  private static final int INITIAL_INTERN_SIZE = 8;
  // Bytes of one encoded entry: micros, response, status, healthy, message index.
  private static final int ENCODED_ENTRY_BYTES = 8 + 4 + 2 + 1 + 4;

  private final String service;
  private final long[] checkedAtMicros;
  private final int[] responseMicros;
  private final short[] statusCodes;
  private final byte[] healthy;
  private final short[] messageRefs;
  private String[] overflowMessages;
  private String[] interned = new String[INITIAL_INTERN_SIZE];
  private int[] internRefCounts = new int[INITIAL_INTERN_SIZE];
  private int next;
  private int size;

  /** A history of {@link #DEFAULT_CAPACITY} results. */
  PreviousResultHistory(String service) {
    this(service, DEFAULT_CAPACITY);
  }

  /**
   * @param service the service whose results this keeps; {@link #add} rejects others
   * @param capacity results kept, 1 to {@link #MAX_CAPACITY}
   */
  PreviousResultHistory(String service, int capacity) {
    this.service = Objects.requireNonNull(service, "service");
    if (capacity < 1 || capacity > MAX_CAPACITY) {
      throw new IllegalArgumentException("capacity must be 1.." + MAX_CAPACITY + ": " + capacity);
    }
    checkedAtMicros = new long[capacity];
    responseMicros = new int[capacity];
    statusCodes = new short[capacity];
    healthy = new byte[capacity];
    messageRefs = new short[capacity];
  }

  public String service() {
    return service;
  }

  public int size() {
    return size;
  }

  public int capacity() {
    return checkedAtMicros.length;
  }

  /**
   * Appends a result, overwriting the oldest when full.
   *
   * @throws IllegalArgumentException when the result is for another service, its status code is
   *     outside 1..32767, or its response time is negative or not finite
   */
  public void add(ProbeResult result) {
    if (!service.equals(result.service())) {
      throw new IllegalArgumentException(
          "result of " + result.service() + " added to history of " + service);
    }
    Integer status = result.statusCode();
    if (status != null && (status < 1 || status > Short.MAX_VALUE)) {
      throw new IllegalArgumentException("status code out of range: " + status);
    }
    Double response = result.responseTimeMs();
    if (response != null && (!(response >= 0) || response.isInfinite())) {
      throw new IllegalArgumentException("invalid response time: " + response);
    }
    int slot = next;
    if (size == capacity()) {
      release(slot);
    } else {
      size++;
    }
    checkedAtMicros[slot] = toMicros(result.checkedAt());
    responseMicros[slot] =
        response == null
            ? NO_RESPONSE
            : (int) Math.min(Math.round(response * 1000.0), Integer.MAX_VALUE);
    statusCodes[slot] = status == null ? 0 : status.shortValue();
    healthy[slot] = (byte) (result.healthy() ? 1 : 0);
    storeMessage(slot, truncate(result.errorMessage()));
    next = (slot + 1) % capacity();
  }

  /** Up to {@code limit} results, newest first; fewer when fewer are kept. */
  public List<ProbeResult> latest(int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("negative limit: " + limit);
    }
    int count = Math.min(limit, size);
    List<ProbeResult> results = new ArrayList<>(count);
    for (int i = 1; i <= count; i++) {
      results.add(resultAt(Math.floorMod(next - i, capacity())));
    }
    return results;
  }

  /** Number of distinct messages currently in the intern table (for tests and metrics). */
  int internedCount() {
    int count = 0;
    for (String message : interned) {
      if (message != null) {
        count++;
      }
    }
    return count;
  }

  /** Estimated heap bytes: ring arrays, intern table and the distinct message strings. */
  public long estimatedFootprintBytes() {
    int capacity = capacity();
    long bytes =
        Footprint.object(8 + 8 * Footprint.REFERENCE)
            + Footprint.array(8, capacity)
            + Footprint.array(4, capacity)
            + 2 * Footprint.array(2, capacity)
            + Footprint.array(1, capacity)
            + Footprint.array(Footprint.REFERENCE, interned.length)
            + Footprint.array(4, internRefCounts.length);
    for (String message : interned) {
      if (message != null) {
        bytes += Footprint.string(message);
      }
    }
    if (overflowMessages != null) {
      bytes += Footprint.array(Footprint.REFERENCE, capacity);
      for (String message : overflowMessages) {
        if (message != null) {
          bytes += Footprint.string(message);
        }
      }
    }
    return bytes;
  }

  /**
   * Appends type tag, format version, service name, capacity, the distinct messages once, then the
   * results oldest first with an index into those messages ({@code -1} for none).
   */
  public void writeTo(Buffer out) {
    out.appendByte(TYPE_TAG).appendByte(FORMAT_VERSION);
    BufferReader.writeString(out, service);
    out.appendInt(capacity()).appendInt(size);
    // Message table: intern-table order, then overflow strings; indices refer to this order.
    List<String> table = new ArrayList<>();
    int[] tableIndexOfInterned = new int[interned.length];
    for (int i = 0; i < interned.length; i++) {
      if (interned[i] != null) {
        tableIndexOfInterned[i] = table.size();
        table.add(interned[i]);
      }
    }
    int oldest = Math.floorMod(next - size, capacity());
    int[] messageIndex = new int[size];
    for (int i = 0; i < size; i++) {
      int slot = (oldest + i) % capacity();
      short ref = messageRefs[slot];
      if (ref == NO_MESSAGE) {
        messageIndex[i] = -1;
      } else if (ref == OVERFLOW_MESSAGE) {
        messageIndex[i] = table.size();
        table.add(overflowMessages[slot]);
      } else {
        messageIndex[i] = tableIndexOfInterned[ref];
      }
    }
    out.appendInt(table.size());
    for (String message : table) {
      BufferReader.writeString(out, message);
    }
    for (int i = 0; i < size; i++) {
      int slot = (oldest + i) % capacity();
      out.appendLong(checkedAtMicros[slot])
          .appendInt(responseMicros[slot])
          .appendShort(statusCodes[slot])
          .appendByte(healthy[slot])
          .appendInt(messageIndex[i]);
    }
  }

  /**
   * Reads a history written by {@link #writeTo(Buffer)} with its stored capacity.
   *
   * @throws CorruptStateException when the input is not a valid encoding
   */
  static PreviousResultHistory readFrom(BufferReader in) {
    return readFrom(in, 0);
  }

  /**
   * Reads a history written by {@link #writeTo(Buffer)} into one of {@code capacity} results,
   * keeping the newest when the stored history is longer (the configured size may have changed).
   *
   * @param capacity 1 to {@link #MAX_CAPACITY}, or 0 for the stored capacity
   * @throws CorruptStateException when the input is not a valid encoding
   */
  static PreviousResultHistory readFrom(BufferReader in, int capacity) {
    in.expectHeader(TYPE_TAG, FORMAT_VERSION, "result history");
    String service = in.readString(MAX_NAME_BYTES);
    if (service == null) {
      throw new CorruptStateException("result history without service name");
    }
    int storedCapacity = in.readInt("capacity", 1, MAX_CAPACITY);
    int size = in.readInt("size", 0, storedCapacity);
    int tableSize = in.readInt("message count", 0, size);
    // Each message takes at least its 4-byte length: check before allocating the table.
    if ((long) tableSize * 4 > in.remaining()) {
      throw new CorruptStateException("truncated input: " + tableSize + " messages announced");
    }
    String[] table = new String[tableSize];
    for (int i = 0; i < tableSize; i++) {
      table[i] = in.readString(MAX_MESSAGE_CHARS * 3);
      if (table[i] == null || table[i].length() > MAX_MESSAGE_CHARS) {
        throw new CorruptStateException("null or overlong entry " + i + " in message table");
      }
    }
    if ((long) size * ENCODED_ENTRY_BYTES > in.remaining()) {
      throw new CorruptStateException("truncated input: " + size + " results announced");
    }
    PreviousResultHistory history =
        new PreviousResultHistory(service, capacity == 0 ? storedCapacity : capacity);
    for (int i = 0; i < size; i++) {
      long micros = in.readLong();
      int response = in.readInt();
      short status = in.readShort();
      byte healthyByte = in.readByte();
      int messageIndex = in.readInt("message index", -1, tableSize - 1);
      if (response < NO_RESPONSE || status < 0 || (healthyByte != 0 && healthyByte != 1)) {
        throw new CorruptStateException("invalid result " + i + " in history of " + service);
      }
      history.add(
          new ProbeResult(
              service,
              healthyByte == 1,
              status == 0 ? null : (int) status,
              response == NO_RESPONSE ? null : response / 1000.0,
              messageIndex == -1 ? null : table[messageIndex],
              fromMicros(micros)));
    }
    return history;
  }

  private ProbeResult resultAt(int slot) {
    int response = responseMicros[slot];
    short status = statusCodes[slot];
    return new ProbeResult(
        service,
        healthy[slot] == 1,
        status == 0 ? null : (int) status,
        response == NO_RESPONSE ? null : response / 1000.0,
        messageAt(slot),
        fromMicros(checkedAtMicros[slot]));
  }

  private String messageAt(int slot) {
    short ref = messageRefs[slot];
    if (ref == NO_MESSAGE) {
      return null;
    }
    return ref == OVERFLOW_MESSAGE ? overflowMessages[slot] : interned[ref];
  }

  private void storeMessage(int slot, String message) {
    if (message == null) {
      messageRefs[slot] = NO_MESSAGE;
      return;
    }
    int free = -1;
    for (int i = 0; i < interned.length; i++) {
      if (interned[i] == null) {
        if (free < 0) {
          free = i;
        }
      } else if (interned[i].equals(message)) {
        internRefCounts[i]++;
        messageRefs[slot] = (short) i;
        return;
      }
    }
    if (free < 0 && interned.length < MAX_INTERNED) {
      free = interned.length;
      int grown = Math.min(interned.length * 2, MAX_INTERNED);
      interned = Arrays.copyOf(interned, grown);
      internRefCounts = Arrays.copyOf(internRefCounts, grown);
    }
    if (free >= 0) {
      interned[free] = message;
      internRefCounts[free] = 1;
      messageRefs[slot] = (short) free;
      return;
    }
    // Table full of live messages: keep this one outside it rather than grow without bound.
    if (overflowMessages == null) {
      overflowMessages = new String[capacity()];
    }
    overflowMessages[slot] = message;
    messageRefs[slot] = OVERFLOW_MESSAGE;
  }

  /** Drops the message reference of a slot about to be overwritten. */
  private void release(int slot) {
    short ref = messageRefs[slot];
    if (ref == OVERFLOW_MESSAGE) {
      overflowMessages[slot] = null;
    } else if (ref != NO_MESSAGE && --internRefCounts[ref] == 0) {
      interned[ref] = null;
    }
    messageRefs[slot] = NO_MESSAGE;
  }

  private static String truncate(String message) {
    if (message == null || message.length() <= MAX_MESSAGE_CHARS) {
      return message;
    }
    // Never cut a surrogate pair in half: a lone surrogate would not survive UTF-8 encoding.
    int end = MAX_MESSAGE_CHARS;
    if (Character.isHighSurrogate(message.charAt(end - 1))) {
      end--;
    }
    return message.substring(0, end);
  }

  private static long toMicros(Instant instant) {
    return Math.addExact(
        Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
  }

  private static Instant fromMicros(long micros) {
    return Instant.ofEpochSecond(
        Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
  }
}
