package dev.refit.pipeline.cli;

/**
 * Marks a command that exits as diff(1) does: {@link #SAME} 0, {@link #DIFFERENT} 1 and
 * {@link #TROUBLE} 2 for any failure (bad reference, unreadable image, offline miss). Its
 * {@code call()} returns SAME or DIFFERENT; {@link FailureReporter} maps every failure of such a
 * command to TROUBLE, in place of refit's usual {@link dev.refit.error.ExitCode}. Stateless.
 */
interface DiffExit {
  int SAME = 0;
  int DIFFERENT = 1;
  int TROUBLE = 2;

  /** The exit code of a finished comparison. */
  static int of(boolean same) {
    return same ? SAME : DIFFERENT;
  }
}
