package io.extrophi.orchestrator.state;

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
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable state on disk: one file, replaced atomically (written to a temporary file, then
 * renamed over the old one), so a crash or {@code kill -9} leaves either the previous or the new
 * state, never a torn one. The content is framed with a magic number, a format version, its length
 * and a CRC32, so a damaged file is recognised instead of half-read.
 *
 * <p>Each write has a temporary file of its own ({@code state.bin.<pid>.<sequence>.tmp}, created
 * new), so a stale temporary left by another process or user never stands in the way of a write;
 * the file is forced to the disk before the rename and the directory after it, so the new state
 * also survives a power loss, not only a crash.
 *
 * <p>A file that cannot be read or decoded is moved aside ({@code state.bin.corrupt-<millis>}) with
 * a warning and the service starts fresh: it never refuses to start over its own state.
 */
public final class StateFile {

  static final int MAGIC = 0x4F524348; // "ORCH"
  static final byte VERSION = 1;
  private static final int HEADER_BYTES = 4 + 1 + 4 + 8;
  private static final String FILE_NAME = "state.bin";

  /** The temporary files of this class: {@code state.bin.<pid>.<sequence>.tmp}. */
  private static final Pattern TEMPORARY_NAME =
      Pattern.compile(Pattern.quote(FILE_NAME) + "\\.(\\d+)\\.(\\d+)\\.tmp");

  /** The one temporary file of versions before unique names; stale whenever this one runs. */
  private static final String LEGACY_TEMPORARY_NAME = FILE_NAME + ".tmp";

  private static final Logger LOG = LoggerFactory.getLogger(StateFile.class);

  /** Largest write to the file in one call (see {@link #writeAt}). */
  private static final int WRITE_SLICE_BYTES = 64 * 1024;

  /** Temporary names found taken in a row before a write gives up. */
  private static final int MAX_TAKEN_NAMES = 100;

  private final Vertx vertx;
  private final FileSystem fileSystem;
  private final String directory;
  private final String path;
  private final Clock clock;
  private final long pid = ProcessHandle.current().pid();
  private final AtomicLong writes = new AtomicLong();

  public StateFile(Vertx vertx, String directory, Clock clock) {
    this.vertx = vertx;
    this.fileSystem = vertx.fileSystem();
    this.directory = directory;
    this.path = Path.of(directory, FILE_NAME).toString();
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
    return readAsync(payload -> Future.succeededFuture(decoder.apply(payload)));
  }

  /**
   * As {@link #read}, with a decoder that may take its time: the payload (off the heap) stays valid
   * until the decoder's future completes, so it can decode on worker threads a slice at a time
   * while the event loop goes on. The frame's checksum is checked on a worker thread too (a
   * fraction of a second for hundreds of megabytes).
   *
   * @param decoder its future fails with {@link CorruptStateException} (or any runtime exception)
   *     for bad content, which moves the file aside
   */
  public <T> Future<Optional<T>> readAsync(Function<Buffer, Future<T>> decoder) {
    return vertx
        .executeBlocking(this::removeStaleTemporaries, false)
        .compose(removed -> fileSystem.exists(path))
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

  /**
   * Removes the temporary files a killed writer left behind: this class's whose process is gone,
   * and the single temporary of older versions. One that cannot be removed (another user's) is left
   * where it is: it no longer stands in the way of a write.
   */
  private Void removeStaleTemporaries() {
    Path dir = Path.of(directory);
    if (!Files.isDirectory(dir)) {
      return null;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, FILE_NAME + ".*tmp")) {
      for (Path file : files) {
        if (isStaleTemporary(file.getFileName().toString())) {
          try {
            Files.deleteIfExists(file);
            LOG.info("removed {}, left by a write that did not finish", file);
          } catch (IOException notOurs) {
            LOG.debug("could not remove the stale {}: {}", file, notOurs.toString());
          }
        }
      }
    } catch (IOException | DirectoryIteratorException unlisted) {
      LOG.debug("could not list {} for stale temporary files: {}", dir, unlisted.toString());
    }
    return null;
  }

  private boolean isStaleTemporary(String name) {
    if (name.equals(LEGACY_TEMPORARY_NAME)) {
      return true;
    }
    Matcher matcher = TEMPORARY_NAME.matcher(name);
    if (!matcher.matches()) {
      return false;
    }
    long writer = Long.parseLong(matcher.group(1));
    // This process has written nothing yet: one with its pid is an earlier process's (in a
    // container every start may get the same pid).
    return writer == pid || ProcessHandle.of(writer).map(handle -> !handle.isAlive()).orElse(true);
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

  private <T> Future<Optional<T>> decode(ByteBuf content, Function<Buffer, Future<T>> decoder) {
    Future<T> decoded;
    try {
      decoded =
          vertx
              .executeBlocking(() -> unframe(BufferInternal.buffer(content)), false)
              .compose(decoder::apply);
    } catch (RuntimeException corrupt) {
      decoded = Future.failedFuture(corrupt);
    }
    return decoded.transform(
        done -> {
          content.release();
          if (done.succeeded()) {
            return Future.succeededFuture(Optional.of(done.result()));
          }
          return done.cause() instanceof RuntimeException corrupt
              ? moveAside(corrupt)
              : Future.failedFuture(done.cause());
        });
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
    Path[] temporary = {null};
    return vertx
        .executeBlocking(
            () -> {
              Files.createDirectories(Path.of(directory));
              return createTemporary(temporary);
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
                            return writeAt(channel, header((int) length[0], crc.getValue()), 0)
                                .compose(header -> force(channel));
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
                vertx.<Void>executeBlocking(
                    () -> {
                      Files.move(
                          temporary[0],
                          Path.of(path),
                          StandardCopyOption.REPLACE_EXISTING,
                          StandardCopyOption.ATOMIC_MOVE);
                      // The rename itself is durable only once the directory is.
                      try (FileChannel dir =
                          FileChannel.open(Path.of(directory), StandardOpenOption.READ)) {
                        dir.force(true);
                      }
                      return null;
                    },
                    false))
        .recover(
            failed ->
                temporary[0] == null
                    ? Future.failedFuture(failed)
                    : removeQuietly(temporary[0])
                        .transform(removed -> Future.failedFuture(failed)));
  }

  /**
   * Creates a new temporary file, never one that exists: a name taken by a file that could not be
   * removed at start (another user's, from an earlier process with the same pid) is skipped.
   */
  private FileChannel createTemporary(Path[] created) throws IOException {
    for (int attempt = 1; ; attempt++) {
      Path temporary = Path.of(path + "." + pid + "." + writes.incrementAndGet() + ".tmp");
      try {
        FileChannel channel =
            FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        created[0] = temporary;
        return channel;
      } catch (FileAlreadyExistsException taken) {
        if (attempt == MAX_TAKEN_NAMES) {
          throw taken;
        }
      }
    }
  }

  /** Forces the written bytes to the disk, so that the rename never publishes a file not there. */
  private Future<Void> force(FileChannel channel) {
    return vertx.executeBlocking(
        () -> {
          channel.force(true);
          return null;
        },
        false);
  }

  /** A failed write leaves no temporary behind: on a full disk it holds the space needed. */
  private Future<Void> removeQuietly(Path temporary) {
    return vertx
        .<Void>executeBlocking(
            () -> {
              Files.deleteIfExists(temporary);
              return null;
            },
            false)
        .recover(
            notRemoved -> {
              LOG.debug("could not remove {}: {}", temporary, notRemoved.toString());
              return Future.succeededFuture();
            });
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
