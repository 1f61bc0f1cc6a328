package dev.refit.settings;

import dev.refit.error.ExitCode;
import dev.refit.error.RefitException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The one failure type of the settings module: what is wrong, where (file, line, column) and,
 * as the {@link #hint()}, what to do about it. Bad settings exit {@link ExitCode#USAGE}.
 * Immutable and thread-safe.
 *
 * <p>Unchecked so that loaders can be used from lambdas; the CLI prints {@link #getMessage()}
 * ({@code file:line:column: problem}) and the hint on its own line, without a stack trace.
 */
public final class SettingsException extends RefitException {

  private final Location location;
  private final String problem;

  public SettingsException(Location location, String problem, String hint) {
    this(location, problem, hint, null);
  }

  public SettingsException(Location location, String problem, String hint, Throwable cause) {
    super(Objects.requireNonNull(location, "location") + ": "
        + Objects.requireNonNull(problem, "problem"), hint, ExitCode.USAGE, cause);
    this.location = location;
    this.problem = problem;
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
}
