package dev.refit.registry.store;

import dev.refit.error.Causes;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.util.Locale;

/**
 * The store's filesystem is full (ENOSPC, or EDQUOT for a quota): a condition of the machine,
 * not a bug, so it gets its own message and hint instead of a generic I/O failure. Immutable.
 */
public final class StorageFullException extends StoreException {
  public StorageFullException(String message, Throwable cause) {
    super("the registry's disk is full: " + message,
        "free space on the filesystem of the registry root, or remove unused images and run"
            + " 'refit registry gc'",
        cause);
  }

  /**
   * A {@link StorageFullException} when {@code e} says the disk is full, otherwise a plain
   * {@link StoreException}; {@code message} names the operation, the cause is appended.
   */
  public static StoreException of(String message, IOException e) {
    String full = message + ": " + Causes.describe(e);
    return isDiskFull(e) ? new StorageFullException(full, e) : new StoreException(full, e);
  }

  /** True when {@code t} or one of its causes is the kernel's ENOSPC or EDQUOT. */
  public static boolean isDiskFull(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof StorageFullException) {
        return true;
      }
      String text = c instanceof FileSystemException fs ? fs.getReason() : c.getMessage();
      if (c instanceof IOException && text != null) {
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.contains("no space left on device") || lower.contains("disk quota exceeded")) {
          return true;
        }
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return false;
  }
}
