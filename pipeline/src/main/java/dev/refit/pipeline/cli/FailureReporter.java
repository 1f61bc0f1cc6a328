package dev.refit.pipeline.cli;

import dev.refit.error.Causes;
import dev.refit.error.ExitCode;
import dev.refit.error.RefitException;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * The one place a failed command becomes output and an exit code: one {@code refit: error:}
 * line, at most one {@code refit: hint:} line, the stack trace only with {@code --debug}, and
 * the {@link RefitException}'s exit code. Anything else is unexpected and exits
 * {@link ExitCode#FAILED}. A {@link DiffExit} command (diff, verify) exits
 * {@link DiffExit#TROUBLE} on any failure. Stateless; called on the command's thread.
 */
final class FailureReporter implements IExecutionExceptionHandler {

  @Override
  public int handleExecutionException(Exception ex, CommandLine cli, ParseResult parsed) {
    Throwable cause = Causes.unwrap(ex);
    boolean debug = GlobalOptions.debugRequested(parsed.originalArgs().toArray(String[]::new));
    PrintWriter err = cli.getErr();
    err.println("refit: error: " + Causes.describe(cause));
    String hint = cause instanceof RefitException refit ? refit.hint()
        : debug ? null : "run again with --debug for the stack trace";
    if (hint != null) {
      err.println("refit: hint: " + hint);
    }
    if (debug) {
      StringWriter trace = new StringWriter();
      cause.printStackTrace(new PrintWriter(trace));
      err.print(trace);
    }
    err.flush();
    return cli.getCommand() instanceof DiffExit ? DiffExit.TROUBLE : exitCode(cause).code();
  }

  /** refit's own failures say how the process ends; anything else is an unexpected failure. */
  static ExitCode exitCode(Throwable cause) {
    return cause instanceof RefitException refit ? refit.exitCode() : ExitCode.FAILED;
  }
}
