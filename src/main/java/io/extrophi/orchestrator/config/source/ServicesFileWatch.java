package io.extrophi.orchestrator.config.source;

import io.extrophi.orchestrator.config.InvalidConfigException;
import io.extrophi.orchestrator.config.OrchestratorConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Reads the services file for the reload watch: its whole content and the content's hash, on a
 * worker thread. Reading (rather than a {@code stat}) is what notices a swap to a file of the same
 * size and modification time; a services file is small (about 100 bytes a service), and hashing a
 * megabyte takes a few milliseconds of a worker.
 *
 * <p>A symbolic link is followed, so a Kubernetes ConfigMap ({@code services.yaml -> ..data/…},
 * {@code ..data} swapped atomically) is read as the file it points to at that moment.
 */
public final class ServicesFileWatch {

  private ServicesFileWatch() {}

  /** The content of the services file of {@code config}, absent when it has none. */
  public static Future<ServicesFileContent> read(Vertx vertx, OrchestratorConfig config) {
    return read(vertx, config.runtime().servicesFile());
  }

  /**
   * The content of {@code path} (relative to the working directory), absent when it is {@code null}
   * or does not exist (also a dangling link, as during some editors' saves).
   *
   * @return the content; fails only when the file exists but cannot be read
   */
  public static Future<ServicesFileContent> read(Vertx vertx, String path) {
    if (path == null) {
      return Future.succeededFuture(ServicesFileContent.absent(null));
    }
    return vertx.executeBlocking(
        () -> {
          byte[] bytes;
          try {
            bytes = Files.readAllBytes(Path.of(path));
          } catch (NoSuchFileException gone) {
            return ServicesFileContent.absent(path);
          } catch (IOException | RuntimeException unreadable) {
            // Said as the loader says it, so a reload rejects it with the usual message.
            throw InvalidConfigException.unreadableFile(
                path, "cannot be read: " + unreadable, unreadable);
          }
          return new ServicesFileContent(path, sha256(bytes), Buffer.buffer(bytes));
        },
        false);
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      // Every Java platform must provide SHA-256.
      throw new IllegalStateException(e);
    }
  }
}
