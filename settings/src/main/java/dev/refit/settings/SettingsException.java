package dev.refit.settings;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The one failure type of the settings module: what is wrong, where (file, line, column) and
 * what to do about it. Immutable and thread-safe.
 *
 * <p>Unchecked so that loaders can be used from lambdas; the CLI catches it once at the top and
 * prints {@link #getMessage()}, which is complete on its own, without a stack trace.
 */
public final class SettingsException extends RuntimeException {

  private final Location location;
  private final String problem;
  private final String hint;

  public SettingsException(Location location, String problem, String hint) {
    this(location, problem, hint, null);
  }

  public SettingsException(Location location, String problem, String hint, Throwable cause) {
    super(format(location, problem, hint), cause);
    this.location = Objects.requireNonNull(location, "location");
    this.problem = Objects.requireNonNull(problem, "problem");
    this.hint = hint == null ? "" : hint;
  }

  private static String format(Location location, String problem, String hint) {
    String text = location + ": " + problem;
    return hint == null || hint.isEmpty() ? text : text + "\n  hint: " + hint;
  }

  public Location location() {
    return location;
  }

  public Path file() {
    return location.file();
  }

  /** 1-based line, or 0 when the problem concerns the whole file. */
  public int line() {
    return location.line();
  }

  /** 1-based column, or 0 when the problem concerns the whole file. */
  public int column() {
    return location.column();
  }

  /** What is wrong, without the location. */
  public String problem() {
    return problem;
  }

  /** What to do about it; empty when there is nothing useful to add. */
  public String hint() {
    return hint;
  }
}
