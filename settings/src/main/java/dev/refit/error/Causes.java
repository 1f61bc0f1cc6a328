package dev.refit.error;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Turns a cause into text for a message such as {@code "cannot read X: " + describe(e)}, never
 * {@code "null"}: exceptions without a message (a bare {@code ConnectException}, an NPE) fall
 * back to their class name. Stateless; thread-safe.
 */
public final class Causes {
  private Causes() {}

  /** The cause's message, made readable; its class's simple name when it has none. */
  public static String describe(Throwable t) {
    if (t == null) {
      return "unknown cause";
    }
    Throwable c = unwrap(t);
    String message = c.getMessage();
    if (message == null || message.isBlank()) {
      return c.getClass().getSimpleName();
    }
    message = message.strip();
    if (c instanceof NoSuchFileException) {
      return "no such file: " + message;
    }
    if (c instanceof AccessDeniedException) {
      return "permission denied: " + message;
    }
    if (c instanceof FileAlreadyExistsException) {
      return "already exists: " + message;
    }
    return message;
  }

  /** The first cause that is not a future's wrapper ({@link ExecutionException}, {@link CompletionException}). */
  public static Throwable unwrap(Throwable t) {
    Throwable c = t;
    while ((c instanceof ExecutionException || c instanceof CompletionException)
        && c.getCause() != null) {
      c = c.getCause();
    }
    return c;
  }
}
