package io.extrophi.orchestrator.state;

import io.extrophi.orchestrator.status.stats.CorruptStateException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.CopyOptions;
import io.vertx.core.file.FileSystem;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Function;
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

  private final FileSystem fileSystem;
  private final String directory;
  private final String path;
  private final String temporaryPath;
  private final Clock clock;

  public StateFile(Vertx vertx, String directory, Clock clock) {
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
   * Reads and decodes the saved state.
   *
   * @param decoder turns the payload into the state; may throw {@link CorruptStateException} or any
   *     runtime exception for bad content
   * @return the state, or empty when there is none or it was corrupt (then moved aside)
   */
  public <T> Future<Optional<T>> read(Function<Buffer, T> decoder) {
    return fileSystem
        .exists(path)
        .compose(
            exists -> {
              if (!exists) {
                return Future.succeededFuture(Optional.<T>empty());
              }
              return fileSystem
                  .readFile(path)
                  .map(content -> Optional.of(decoder.apply(unframe(content))))
                  .recover(this::moveAside);
            });
  }

  /** Writes the payload atomically, creating the directory if needed. */
  public Future<Void> write(Buffer payload) {
    Buffer framed = frame(payload);
    return fileSystem
        .mkdirs(directory)
        .compose(created -> fileSystem.writeFile(temporaryPath, framed))
        .compose(
            written ->
                fileSystem.move(
                    temporaryPath,
                    path,
                    new CopyOptions().setReplaceExisting(true).setAtomicMove(true)));
  }

  static Buffer frame(Buffer payload) {
    CRC32 crc = new CRC32();
    crc.update(payload.getBytes());
    return Buffer.buffer(HEADER_BYTES + payload.length())
        .appendInt(MAGIC)
        .appendByte(VERSION)
        .appendInt(payload.length())
        .appendLong(crc.getValue())
        .appendBuffer(payload);
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
    crc.update(payload.getBytes());
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
