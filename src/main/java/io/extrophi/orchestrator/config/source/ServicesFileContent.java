package io.extrophi.orchestrator.config.source;

import io.vertx.core.buffer.Buffer;
import java.util.Objects;

/**
 * The services file as read at one moment: its bytes and their SHA-256, or absent. Edits are
 * recognised by the hash of the content, not by size and modification time, which a swap to a file
 * of the same size and time (a restored backup, a {@code cp -p}, some ConfigMap updates) keeps.
 *
 * @param path the file, as configured; {@code null} when no services file is configured
 * @param sha256 the hex SHA-256 of the content; {@code null} when the file does not exist
 * @param bytes the content; {@code null} when the file does not exist
 */
public record ServicesFileContent(String path, String sha256, Buffer bytes) {

  /** No file: it does not exist. */
  public static ServicesFileContent absent(String path) {
    return new ServicesFileContent(path, null, null);
  }

  public boolean exists() {
    return bytes != null;
  }

  /** Whether both are the same file with the same content, or the same file absent both times. */
  public boolean sameAs(ServicesFileContent other) {
    return other != null
        && Objects.equals(path, other.path)
        && Objects.equals(sha256, other.sha256);
  }

  /** Without the bytes, which may be megabytes. */
  @Override
  public String toString() {
    return "ServicesFileContent[path=" + path + ", sha256=" + sha256 + "]";
  }
}
