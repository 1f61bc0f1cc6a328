package dev.refit.error;

import java.util.Objects;

/**
 * Base of every refit failure that can reach the command line: a complete message (what went
 * wrong and where), an optional hint (what to do) and the {@link ExitCode} it ends the process
 * with. Each subclass chooses its exit code and hint once; the CLI prints them without a stack
 * trace. A wrapper without a hint of its own keeps its refit cause's hint, so wrapping a failure
 * at a stage boundary never loses what to do. Immutable; thread-safe.
 */
public class RefitException extends RuntimeException {
  private final String hint;
  private final ExitCode exitCode;

  public RefitException(String message, String hint, ExitCode exitCode) {
    this(message, hint, exitCode, null);
  }

  public RefitException(String message, String hint, ExitCode exitCode, Throwable cause) {
    // Never a null message: fall back to what the cause says.
    super(message != null && !message.isBlank() ? message : Causes.describe(cause), cause);
    this.hint = hint != null && !hint.isBlank() ? hint
        : cause != null && Causes.unwrap(cause) instanceof RefitException refit ? refit.hint() : null;
    this.exitCode = Objects.requireNonNull(exitCode, "exitCode");
  }

  /** What to do about it, or null when the message already says all there is. */
  public String hint() {
    return hint;
  }

  /** What the process exits with when this failure ends a command. */
  public ExitCode exitCode() {
    return exitCode;
  }
}
