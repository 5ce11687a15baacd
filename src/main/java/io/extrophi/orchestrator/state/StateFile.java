package io.extrophi.orchestrator.state;

import io.extrophi.orchestrator.status.stats.CorruptStateException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.CopyOptions;
import io.vertx.core.file.FileSystem;
import io.vertx.core.internal.buffer.BufferInternal;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable state on disk: one file, replaced atomically (written to a temporary file, then
 * renamed over the old one), so a crash or {@code kill -9} leaves either the previous or the new
 * state, never a torn one. The content is framed with a magic number, a format version, its length
 * and a CRC32, so a damaged file is recognised instead of half-read.
 *
 * <p>A file that cannot be read or decoded is moved aside ({@code state.bin.corrupt-<millis>}) with
 * a warning and the service starts fresh: it never refuses to start over its own state.
 */
public final class StateFile {

  static final int MAGIC = 0x4F524348; // "ORCH"
  static final byte VERSION = 1;
  private static final int HEADER_BYTES = 4 + 1 + 4 + 8;
  private static final String FILE_NAME = "state.bin";

  private static final Logger LOG = LoggerFactory.getLogger(StateFile.class);

  /** Largest write to the file in one call (see {@link #writeAt}). */
  private static final int WRITE_SLICE_BYTES = 64 * 1024;

  private final Vertx vertx;
  private final FileSystem fileSystem;
  private final String directory;
  private final String path;
  private final String temporaryPath;
  private final Clock clock;

  public StateFile(Vertx vertx, String directory, Clock clock) {
    this.vertx = vertx;
    this.fileSystem = vertx.fileSystem();
    this.directory = directory;
    this.path = Path.of(directory, FILE_NAME).toString();
    this.temporaryPath = path + ".tmp";
    this.clock = clock;
  }

  public String path() {
    return path;
  }

  /**
   * Reads and decodes the saved state. The file is read off the Java heap (into native memory freed
   * as soon as it is decoded), so a state file of hundreds of megabytes does not need that much
   * heap on top of the statistics it holds.
   *
   * @param decoder turns the payload into the state; may throw {@link CorruptStateException} or any
   *     runtime exception for bad content
   * @return the state, or empty when there is none or its content was corrupt (then moved aside);
   *     failed with a {@link StateUnreadableException} when the file could not be read at all (no
   *     permission, not enough memory), which leaves the file where it is
   */
  public <T> Future<Optional<T>> read(Function<Buffer, T> decoder) {
    return fileSystem
        .exists(path)
        .compose(
            exists -> {
              if (!exists) {
                return Future.succeededFuture(Optional.<T>empty());
              }
              return vertx
                  .executeBlocking(this::readOffHeap, false)
                  .recover(
                      failure -> Future.failedFuture(new StateUnreadableException(path, failure)))
                  .compose(content -> decode(content, decoder));
            });
  }

  private ByteBuf readOffHeap() throws IOException {
    try (FileChannel channel = FileChannel.open(Path.of(path), StandardOpenOption.READ)) {
      long size = channel.size();
      if (size > Integer.MAX_VALUE) {
        throw new IOException("the file is larger than 2 GB");
      }
      ByteBuf content = Unpooled.directBuffer((int) size);
      try {
        while (content.writableBytes() > 0
            && content.writeBytes(channel, content.writerIndex(), content.writableBytes()) >= 0) {
          // until the buffer holds the whole file
        }
        return content;
      } catch (IOException | RuntimeException e) {
        content.release();
        throw e;
      }
    }
  }

  private <T> Future<Optional<T>> decode(ByteBuf content, Function<Buffer, T> decoder) {
    try {
      return Future.succeededFuture(
          Optional.of(decoder.apply(unframe(BufferInternal.buffer(content)))));
    } catch (RuntimeException corrupt) {
      return moveAside(corrupt);
    } finally {
      content.release();
    }
  }

  /** Writes the payload atomically, creating the directory if needed. */
  public Future<Void> write(Buffer payload) {
    Buffer[] remaining = {payload};
    return write(
        () -> {
          Buffer next = remaining[0];
          remaining[0] = null;
          return next;
        });
  }

  /**
   * Writes a payload produced in chunks atomically, creating the directory if needed. {@code
   * nextChunk} is called on the caller's context, once after each chunk was written, until it
   * returns {@code null}; so a large state is encoded and written a piece at a time, and neither
   * the heap nor the event loop has to hold all of it at once.
   *
   * <p>The file is written with plain NIO on a worker thread, not through Vert.x's file system:
   * that one stops working while Vert.x closes, which is exactly when the last flush runs.
   */
  public Future<Void> write(Supplier<Buffer> nextChunk) {
    Path temporary = Path.of(temporaryPath);
    return vertx
        .executeBlocking(
            () -> {
              Files.createDirectories(Path.of(directory));
              return FileChannel.open(
                  temporary,
                  StandardOpenOption.CREATE,
                  StandardOpenOption.WRITE,
                  StandardOpenOption.TRUNCATE_EXISTING);
            },
            false)
        .compose(
            channel -> {
              CRC32 crc = new CRC32();
              long[] length = {0};
              Future<Void> written =
                  writeChunks(channel, nextChunk, HEADER_BYTES, crc, length)
                      .compose(
                          all -> {
                            if (length[0] > Integer.MAX_VALUE) {
                              return Future.failedFuture("state larger than 2 GB");
                            }
                            return writeAt(channel, header((int) length[0], crc.getValue()), 0);
                          });
              return written.transform(
                  result ->
                      vertx
                          .<Void>executeBlocking(
                              () -> {
                                channel.close();
                                return null;
                              },
                              false)
                          .transform(closed -> written));
            })
        .compose(
            written ->
                vertx.executeBlocking(
                    () -> {
                      Files.move(
                          temporary,
                          Path.of(path),
                          StandardCopyOption.REPLACE_EXISTING,
                          StandardCopyOption.ATOMIC_MOVE);
                      return null;
                    },
                    false));
  }

  private Future<Void> writeChunks(
      FileChannel channel, Supplier<Buffer> nextChunk, long position, CRC32 crc, long[] length) {
    Promise<Void> written = Promise.promise();
    writeNextChunk(channel, nextChunk, position, crc, length, written);
    return written.future();
  }

  /**
   * Writes the next chunk, then the one after it, and so on. A loop of callbacks rather than a
   * chain of {@code compose}: each composed future keeps its function, and so the chunk the
   * function saw, until the whole chain completes, which held the whole state (some 250 MB at
   * 10,000 services) in the heap until the last chunk was written.
   */
  private void writeNextChunk(
      FileChannel channel,
      Supplier<Buffer> nextChunk,
      long position,
      CRC32 crc,
      long[] length,
      Promise<Void> written) {
    long after;
    Future<Void> writing;
    try {
      Buffer chunk = nextChunk.get();
      if (chunk == null) {
        written.complete();
        return;
      }
      crc.update(nioBuffer(chunk));
      length[0] += chunk.length();
      after = position + chunk.length();
      writing = writeAt(channel, chunk, position);
    } catch (RuntimeException e) {
      written.fail(e);
      return;
    }
    writing.onComplete(
        done -> {
          if (done.failed()) {
            written.fail(done.cause());
          } else {
            writeNextChunk(channel, nextChunk, after, crc, length, written);
          }
        });
  }

  private Future<Void> writeAt(FileChannel channel, Buffer data, long position) {
    return vertx.executeBlocking(
        () -> {
          ByteBuffer bytes = nioBuffer(data);
          long at = position;
          while (bytes.hasRemaining()) {
            // At most WRITE_SLICE_BYTES per call: the JDK copies a heap buffer into a direct one
            // of the same size and keeps it for the thread, so whole chunks (megabytes) written
            // from
            // the worker pool's threads held some 80 MB outside the heap at 10,000 services.
            ByteBuffer slice = bytes.slice();
            slice.limit(Math.min(slice.remaining(), WRITE_SLICE_BYTES));
            int written = channel.write(slice, at);
            bytes.position(bytes.position() + written);
            at += written;
          }
          return null;
        },
        false);
  }

  private static Buffer header(int length, long crc) {
    return Buffer.buffer(HEADER_BYTES)
        .appendInt(MAGIC)
        .appendByte(VERSION)
        .appendInt(length)
        .appendLong(crc);
  }

  /** The bytes of a buffer as a NIO view, for the checksum: no copy. */
  private static ByteBuffer nioBuffer(Buffer buffer) {
    return ((BufferInternal) buffer).getByteBuf().nioBuffer();
  }

  static Buffer frame(Buffer payload) {
    CRC32 crc = new CRC32();
    crc.update(nioBuffer(payload));
    return header(payload.length(), crc.getValue()).appendBuffer(payload);
  }

  static Buffer unframe(Buffer content) {
    if (content.length() < HEADER_BYTES || content.getInt(0) != MAGIC) {
      throw new CorruptStateException("not an orchestrator state file");
    }
    if (content.getByte(4) != VERSION) {
      throw new CorruptStateException("unsupported state format version " + content.getByte(4));
    }
    int length = content.getInt(5);
    if (length < 0 || length != content.length() - HEADER_BYTES) {
      throw new CorruptStateException("truncated state file");
    }
    Buffer payload = content.slice(HEADER_BYTES, content.length());
    CRC32 crc = new CRC32();
    crc.update(nioBuffer(payload));
    if (crc.getValue() != content.getLong(9)) {
      throw new CorruptStateException("state file checksum mismatch");
    }
    return payload;
  }

  private <T> Future<Optional<T>> moveAside(Throwable problem) {
    String aside = path + ".corrupt-" + clock.millis();
    LOG.warn(
        "state file {} is unreadable ({}); moved to {} and starting fresh",
        path,
        problem.getMessage(),
        aside);
    return fileSystem
        .move(path, aside, new CopyOptions().setReplaceExisting(true))
        .otherwise(
            moveFailed -> {
              LOG.warn("could not move {} aside: {}", path, moveFailed.getMessage());
              return null;
            })
        .map(moved -> Optional.empty());
  }
}
