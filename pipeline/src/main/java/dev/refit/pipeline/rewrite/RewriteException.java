package dev.refit.pipeline.rewrite;

import dev.refit.error.ExitCode;
import dev.refit.error.RefitException;
import java.nio.file.Path;

/**
 * An image list that cannot be rewritten: unreadable, malformed, of an unknown format, or with a
 * value refit cannot map. The message names the file, the line and column when known, and what
 * to do; the original file is always left untouched. Immutable; thread-safe.
 */
public final class RewriteException extends RefitException {

  private final Path file;
  private final int line;
  private final int column;

  public RewriteException(Path file, int line, int column, String message, Throwable cause) {
    super(file + (line > 0 ? ":" + line + (column > 0 ? ":" + column : "") : "") + ": " + message
        + " (the file was not changed)", null, ExitCode.FAILED, cause);
    this.file = file;
    this.line = line;
    this.column = column;
  }

  public RewriteException(Path file, String message, Throwable cause) {
    this(file, 0, 0, message, cause);
  }

  public Path file() {
    return file;
  }

  /** 1-based line, or 0 when the problem is not at one place. */
  public int line() {
    return line;
  }

  /** 1-based column, or 0 when unknown. */
  public int column() {
    return column;
  }
}
