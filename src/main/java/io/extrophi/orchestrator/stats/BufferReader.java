package io.extrophi.orchestrator.stats;

import io.extrophi.orchestrator.state.CorruptStateException;
import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A read cursor over a {@link Buffer}, so several encoded structures can be read one after another
 * from one state file without the caller tracking offsets.
 *
 * <p>Every read checks the remaining length first and throws {@link CorruptStateException} instead
 * of {@link IndexOutOfBoundsException}: a truncated or garbage file must produce one clear error
 * type. Lengths read from the input are validated against the bytes really left before anything is
 * allocated, so a corrupted length can never trigger a huge allocation.
 */
public final class BufferReader {

  private final Buffer buffer;
  private int position;

  /** Reads from the start of {@code buffer}. */
  public BufferReader(Buffer buffer) {
    this(buffer, 0);
  }

  /** Reads from {@code offset}, which must lie within {@code buffer} (its length included). */
  public BufferReader(Buffer buffer, int offset) {
    if (offset < 0 || offset > buffer.length()) {
      throw new IllegalArgumentException(
          "offset " + offset + " outside buffer of " + buffer.length() + " bytes");
    }
    this.buffer = buffer;
    this.position = offset;
  }

  /** Offset of the next byte to read. */
  public int position() {
    return position;
  }

  /** Bytes left after {@link #position()}. */
  public int remaining() {
    return buffer.length() - position;
  }

  public byte readByte() {
    require(1, "byte");
    return buffer.getByte(position++);
  }

  public short readShort() {
    require(2, "short");
    short value = buffer.getShort(position);
    position += 2;
    return value;
  }

  public int readInt() {
    require(4, "int");
    int value = buffer.getInt(position);
    position += 4;
    return value;
  }

  public long readLong() {
    require(8, "long");
    long value = buffer.getLong(position);
    position += 8;
    return value;
  }

  /** Reads an int and checks {@code min <= value <= max}; {@code what} names it in the error. */
  public int readInt(String what, int min, int max) {
    int value = readInt();
    if (value < min || value > max) {
      throw new CorruptStateException(
          what + " " + value + " outside [" + min + ", " + max + "] at offset " + (position - 4));
    }
    return value;
  }

  /** Reads {@code length} raw bytes; the length is checked against the bytes left first. */
  public byte[] readBytes(int length) {
    if (length < 0) {
      throw new CorruptStateException("negative length " + length + " at offset " + position);
    }
    require(length, length + " bytes");
    byte[] bytes = buffer.getBytes(position, position + length);
    position += length;
    return bytes;
  }

  /**
   * Reads a string written by {@link #writeString(Buffer, String)}: an int byte length ({@code -1}
   * for null) and strict UTF-8, at most {@code maxBytes} long.
   */
  public String readString(int maxBytes) {
    int length = readInt("string length", -1, maxBytes);
    if (length == -1) {
      return null;
    }
    byte[] bytes = readBytes(length);
    try {
      // Strict decoding: garbage must fail rather than silently turn into replacement characters.
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new CorruptStateException("invalid UTF-8 before offset " + position, e);
    }
  }

  /** Writes what {@link #readString(int)} reads. */
  public static void writeString(Buffer out, String value) {
    if (value == null) {
      out.appendInt(-1);
      return;
    }
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    out.appendInt(bytes.length).appendBytes(bytes);
  }

  /**
   * Reads and checks the type tag and a format version between {@code oldest} and {@code newest}
   * that start an encoded structure with more than one readable version.
   *
   * @return the version read
   */
  byte expectHeader(byte tag, byte oldest, byte newest, String type) {
    byte actualTag = readByte();
    if (actualTag != tag) {
      throw new CorruptStateException(
          "not a " + type + ": type tag " + actualTag + " instead of " + tag);
    }
    byte actualVersion = readByte();
    if (actualVersion < oldest || actualVersion > newest) {
      throw new CorruptStateException(
          "unsupported "
              + type
              + " format version "
              + actualVersion
              + " (expected "
              + oldest
              + " to "
              + newest
              + ")");
    }
    return actualVersion;
  }

  /** Reads and checks the type tag and format version that start every encoded structure. */
  void expectHeader(byte tag, byte version, String type) {
    byte actualTag = readByte();
    if (actualTag != tag) {
      throw new CorruptStateException(
          "not a " + type + ": type tag " + actualTag + " instead of " + tag);
    }
    byte actualVersion = readByte();
    if (actualVersion != version) {
      throw new CorruptStateException(
          "unsupported "
              + type
              + " format version "
              + actualVersion
              + " (expected "
              + version
              + ")");
    }
  }

  private void require(int bytes, String what) {
    if (bytes > remaining()) {
      throw new CorruptStateException(
          "truncated input: need "
              + what
              + " at offset "
              + position
              + " but only "
              + remaining()
              + " bytes left");
    }
  }
}
