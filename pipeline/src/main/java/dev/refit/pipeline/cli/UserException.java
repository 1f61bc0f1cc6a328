package dev.refit.pipeline.cli;

/** A failure the user can act on: it carries what went wrong, what to do, and an exit code. */
public class UserException extends RuntimeException {
  private final String hint;
  private final int exitCode;

  public UserException(String message, String hint) {
    this(message, hint, Main.EXIT_FAILURE);
  }

  public UserException(String message, String hint, int exitCode) {
    super(message);
    this.hint = hint;
    this.exitCode = exitCode;
  }

  public String hint() {
    return hint;
  }

  public int exitCode() {
    return exitCode;
  }
}
