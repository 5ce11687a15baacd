package io.extrophi.orchestrator.state;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The exclusive claim of one orchestrator on its data directory: an operating-system lock on {@code
 * orchestrator.lock} in it, so two instances never write the same state file. The lock dies with
 * its process, so the file left by a killed instance never stands in the way of a restart; the
 * file's text ({@code <pid>@<host>}) only names the holder in the message of the instance turned
 * away.
 *
 * <p>Blocking file I/O: call it on a worker thread.
 */
public final class DataDirectoryLock implements AutoCloseable {

  /** The name of the lock file in the data directory. */
  public static final String FILE_NAME = "orchestrator.lock";

  /**
   * The lock files held in this JVM. An operating-system lock is per process, and closing any
   * channel to the file would drop it (POSIX), so a second attempt from this JVM (tests start many
   * orchestrators in one) is turned away here, without opening the file.
   */
  private static final Map<Path, String> HELD_IN_THIS_JVM = new ConcurrentHashMap<>();

  private final Path file;
  private final FileChannel channel;
  private final FileLock lock;

  private DataDirectoryLock(Path file, FileChannel channel, FileLock lock) {
    this.file = file;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock of {@code directory}, creating the directory and the lock file if needed.
   *
   * @throws DataDirectoryLockedException when another instance holds it
   * @throws IOException when the lock file cannot be created or locked at all (no permission, a
   *     file where the directory should be, a file system without locks)
   */
  public static DataDirectoryLock acquire(String directory) throws IOException {
    Path dir = Path.of(directory).toAbsolutePath().normalize();
    Files.createDirectories(dir);
    // The real path: two spellings of one directory (a symbolic link, "..") are one lock.
    return acquireFile(dir.toRealPath().resolve(FILE_NAME), directory);
  }

  private static DataDirectoryLock acquireFile(Path file, String directory) throws IOException {
    String holder = holderText();
    String earlier = HELD_IN_THIS_JVM.putIfAbsent(file, holder);
    if (earlier != null) {
      throw new DataDirectoryLockedException(directory, earlier);
    }
    FileChannel channel = null;
    try {
      channel =
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException heldHere) {
        lock = null; // another lock of this JVM, not taken through this class
      }
      if (lock == null) {
        String other = readHolder(channel);
        channel.close();
        HELD_IN_THIS_JVM.remove(file, holder);
        throw new DataDirectoryLockedException(directory, other);
      }
      // Only the holder writes the text, so a reader sees one holder's name, never a mixture.
      try {
        channel.truncate(0);
        channel.write(ByteBuffer.wrap((holder + "\n").getBytes(StandardCharsets.UTF_8)), 0);
      } catch (IOException diskFull) {
        // The text only names the holder in a message; the lock is what keeps others out.
      }
      return new DataDirectoryLock(file, channel, lock);
    } catch (IOException | RuntimeException failed) {
      if (!(failed instanceof DataDirectoryLockedException)) {
        HELD_IN_THIS_JVM.remove(file, holder);
        if (channel != null) {
          channel.close();
        }
      }
      throw failed;
    }
  }

  /** The holder's text, read through the channel that failed to lock: closing no other one. */
  private static String readHolder(FileChannel channel) throws IOException {
    ByteBuffer text = ByteBuffer.allocate(512);
    while (text.hasRemaining() && channel.read(text, text.position()) > 0) {
      // until the file or the buffer ends
    }
    String holder = new String(text.array(), 0, text.position(), StandardCharsets.UTF_8).strip();
    return holder.isEmpty() ? "unknown" : holder;
  }

  /** {@code <pid>@<host>}: who holds the lock, for the message of an instance turned away. */
  static String holderText() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException unresolved) {
      host = System.getenv().getOrDefault("HOSTNAME", "unknown-host");
    }
    return ProcessHandle.current().pid() + "@" + host;
  }

  /** The lock file. */
  public Path file() {
    return file;
  }

  /**
   * Releases the lock. The file stays: removing it would let a starting instance lock a file about
   * to vanish while a third creates a new one, and both would hold "the" lock.
   */
  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      channel.close();
      HELD_IN_THIS_JVM.remove(file);
    }
  }
}
