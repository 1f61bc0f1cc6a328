package dev.refit.settings;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A position in a settings file, 1-based line and column; line 0 means "the file as a whole".
 * Immutable and thread-safe.
 */
public record Location(Path file, int line, int column) {

  public Location {
    Objects.requireNonNull(file, "file");
    if (line < 0 || column < 0) {
      throw new IllegalArgumentException("line and column must be >= 0");
    }
  }

  /** The whole file, for problems that have no better position (missing file, I/O error). */
  public static Location of(Path file) {
    return new Location(file, 0, 0);
  }

  public static Location of(Path file, int line, int column) {
    return new Location(file, line, column);
  }

  /** Whether this points into the file rather than at the file as a whole. */
  public boolean hasPosition() {
    return line > 0;
  }

  /** {@code file:line:column}, the form editors and compilers use, or just {@code file}. */
  @Override
  public String toString() {
    return hasPosition() ? file + ":" + line + ":" + column : file.toString();
  }
}
