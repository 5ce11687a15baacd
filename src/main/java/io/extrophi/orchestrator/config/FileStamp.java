package io.extrophi.orchestrator.config;

/**
 * What a file looked like when it was last checked: enough to notice an edit without reading it.
 *
 * <p>Two stamps differ when the file was created, removed, or changed in size or modification time.
 * An edit that keeps both (same size, within the file system's timestamp resolution) goes unnoticed
 * until the next reload for another reason; editors and {@code mv}-style deploys change the
 * modification time, which is what this relies on.
 *
 * @param exists whether the file existed
 * @param lastModified modification time in milliseconds since the epoch, {@code 0} when absent
 * @param size size in bytes, {@code 0} when absent
 */
public record FileStamp(boolean exists, long lastModified, long size) {

  /** No file: it does not exist, or no services file is configured. */
  public static final FileStamp ABSENT = new FileStamp(false, 0, 0);

  public static FileStamp of(long lastModified, long size) {
    return new FileStamp(true, lastModified, size);
  }
}
