package dev.refit.pipeline.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Prints a failed command's cause as one message on stderr, with the stack trace only when the
 * user asked for {@code --debug}, and picks the exit code.
 */
final class FailureReporter implements IExecutionExceptionHandler {

  @Override
  public int handleExecutionException(Exception ex, CommandLine cli, ParseResult parsed) {
    Throwable cause = unwrap(ex);
    PrintWriter err = cli.getErr();
    err.println("refit: error: " + describe(cause));
    if (cause instanceof UserException user && user.hint() != null) {
      err.println("refit: hint: " + user.hint());
    }
    if (GlobalOptions.debugRequested(parsed.originalArgs().toArray(String[]::new))) {
      StringWriter trace = new StringWriter();
      cause.printStackTrace(new PrintWriter(trace));
      err.print(trace);
    } else if (!isDomainFailure(cause)) {
      err.println("refit: run again with --debug for the stack trace");
    }
    err.flush();
    return cause instanceof UserException user ? user.exitCode() : Main.EXIT_FAILURE;
  }

  /**
   * refit's own exceptions carry a complete message (what, where, what to do); anything else is
   * unexpected, so the user is told how to get the trace.
   */
  private static boolean isDomainFailure(Throwable t) {
    return t.getClass().getName().startsWith("dev.refit.");
  }

  static Throwable unwrap(Throwable t) {
    Throwable c = t;
    while ((c instanceof ExecutionException || c instanceof CompletionException)
        && c.getCause() != null) {
      c = c.getCause();
    }
    return c;
  }

  private static String describe(Throwable t) {
    String message = t.getMessage();
    if (message == null || message.isBlank()) {
      return t.getClass().getSimpleName();
    }
    if (t instanceof UserException || t instanceof IllegalArgumentException) {
      return message;
    }
    if (t instanceof java.nio.file.NoSuchFileException) {
      return "no such file: " + message;
    }
    if (t instanceof java.nio.file.AccessDeniedException) {
      return "permission denied: " + message;
    }
    return message;
  }
}
