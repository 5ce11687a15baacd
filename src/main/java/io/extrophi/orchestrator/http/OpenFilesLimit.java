package io.extrophi.orchestrator.http;

import com.sun.management.UnixOperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says at start-up when the process may run out of file descriptors: every API connection, every
 * probe connection and the state file each take one. On Linux the JVM already raises its soft limit
 * to the hard limit (-XX:+MaxFDLimit), so the limit read here is the one that applies.
 */
final class OpenFilesLimit {

  /** Descriptors for the JVM's own files (jars, logs), the state file and the event loops. */
  static final int RESERVED = 128;

  private static final Logger LOG = LoggerFactory.getLogger(OpenFilesLimit.class);

  private OpenFilesLimit() {}

  /** The process's limit of open files, when the platform tells it. */
  static OptionalLong current() {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof UnixOperatingSystemMXBean unix) {
      return OptionalLong.of(unix.getMaxFileDescriptorCount());
    }
    return OptionalLong.empty();
  }

  /** Descriptors needed at most: one per API connection and per service probed, plus a reserve. */
  static long needed(int services, int maxConnections) {
    return (long) maxConnections + services + RESERVED;
  }

  static void warnIfTooLow(int services, int maxConnections) {
    long needed = needed(services, maxConnections);
    current()
        .ifPresent(
            limit -> {
              if (limit < needed) {
                LOG.warn(
                    "The open-files limit is {} but up to {} descriptors may be needed ({}"
                        + " HTTP_MAX_CONNECTIONS, {} services, {} reserved): raise it (systemd"
                        + " LimitNOFILE, docker run --ulimit nofile=) or lower"
                        + " HTTP_MAX_CONNECTIONS",
                    limit,
                    needed,
                    maxConnections,
                    services,
                    RESERVED);
              }
            });
  }
}
