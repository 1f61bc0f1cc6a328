package dev.refit.pipeline.cli;

import picocli.CommandLine.Option;

/** Options every subcommand accepts. Mixed in; not thread-safe (one per command instance). */
public final class GlobalOptions {
  @Option(
      names = "--debug",
      description = "Show stack traces and debug logging when something fails.")
  boolean debug;

  static boolean debugRequested(String[] args) {
    for (String a : args) {
      if ("--debug".equals(a)) {
        return true;
      }
    }
    return false;
  }
}
