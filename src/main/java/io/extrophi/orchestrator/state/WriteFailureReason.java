package io.extrophi.orchestrator.state;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.Locale;

/**
 * Why a file could not be written, in the operating system's words ("permission denied", "no space
 * left on device", "too many open files"): the exceptions of {@code java.nio} carry it in different
 * places, and an {@link AccessDeniedException}'s message is only the path.
 */
public final class WriteFailureReason {

  private WriteFailureReason() {}

  /** The reason of {@code failure}, lower case, without a Java class name. */
  public static String of(Throwable failure) {
    if (failure instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (failure instanceof NoSuchFileException) {
      return "no such file or directory";
    }
    if (failure instanceof FileAlreadyExistsException) {
      // From creating the data directory where a file of that name is.
      return "file exists";
    }
    if (failure instanceof FileSystemException fileSystem && fileSystem.getReason() != null) {
      return lowerFirst(fileSystem.getReason());
    }
    String message = failure.getMessage();
    if (message == null || message.isBlank()) {
      return failure.getClass().getSimpleName();
    }
    return lowerFirst(message);
  }

  private static String lowerFirst(String text) {
    return text.isEmpty()
        ? text
        : text.substring(0, 1).toLowerCase(Locale.ROOT) + text.substring(1);
  }
}
