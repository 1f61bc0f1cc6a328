package dev.refit.pipeline.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Options every subcommand accepts. Mixed in; not thread-safe (one per command instance). */
public final class GlobalOptions {
  @Option(
      names = "--debug",
      description = "Show stack traces and debug logging when something fails.")
  boolean debug;

  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  /** Where the command writes its results: stdout, or what a test installed on the CommandLine. */
  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  static boolean debugRequested(String[] args) {
    for (String a : args) {
      if ("--debug".equals(a)) {
        return true;
      }
    }
    return false;
  }
}
