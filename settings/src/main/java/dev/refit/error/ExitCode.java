package dev.refit.error;

/**
 * The process exit codes of every refit command, and what each means; {@code FailureReporter}
 * in the CLI is the only place that turns a failure into one. Immutable.
 */
public enum ExitCode {
  /** Everything asked for was done. */
  DONE(0),
  /** Something failed; the message says what, where and what to do. */
  FAILED(1),
  /** Bad settings or a bad command line: nothing was attempted. */
  USAGE(2),
  /** Offline ({@code --no-fetch}) and something needed is not in the cache. */
  NOT_CACHED(3);

  private final int code;

  ExitCode(int code) {
    this.code = code;
  }

  /** The number the process exits with. */
  public int code() {
    return code;
  }
}
