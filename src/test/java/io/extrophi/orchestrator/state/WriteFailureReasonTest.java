package io.extrophi.orchestrator.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.extrophi.orchestrator.testing.UnitTest;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reasons the file system gives, as the operating system words them, without a class name. */
@UnitTest
class WriteFailureReasonTest {

  @TempDir Path dir;

  @Test
  void failuresOfTheRealFileSystemAreNamedByTheirCause() throws IOException {
    Files.createDirectory(dir.resolve("a-directory"));
    Files.writeString(dir.resolve("a-file"), "x");

    assertThat(WriteFailureReason.of(openForWriting(dir.resolve("a-directory"))))
        .isEqualTo("is a directory");
    assertThat(WriteFailureReason.of(openForWriting(dir.resolve("a-file").resolve("state.bin"))))
        .isEqualTo("not a directory");
    assertThat(WriteFailureReason.of(openForWriting(dir.resolve("missing").resolve("state.bin"))))
        .isEqualTo("no such file or directory");
    assertThat(
            WriteFailureReason.of(
                catchThrowable(() -> Files.createDirectories(dir.resolve("a-file")))))
        .isEqualTo("file exists");
  }

  @Test
  void reasonsOnlyAnotherUserOrAFullDiskCanCauseAreNamedToo() {
    // Tests run as root on a roomy disk: the exceptions the JDK throws for these, as it builds
    // them.
    assertThat(WriteFailureReason.of(new AccessDeniedException("data/state.bin.1.1.tmp")))
        .isEqualTo("permission denied");
    assertThat(WriteFailureReason.of(new IOException("No space left on device")))
        .isEqualTo("no space left on device");
    assertThat(
            WriteFailureReason.of(
                new FileSystemException("data/state.bin.1.1.tmp", null, "Too many open files")))
        .isEqualTo("too many open files");
  }

  private static Throwable openForWriting(Path path) {
    return catchThrowable(
        () -> {
          try (FileChannel channel =
              FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            channel.force(true);
          }
        });
  }
}
