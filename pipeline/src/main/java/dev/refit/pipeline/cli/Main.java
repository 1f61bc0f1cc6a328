package dev.refit.pipeline.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * refit's command-line entry point: wires the subcommands and turns failures into one clear
 * line and an exit code. Stack traces appear only with {@code --debug}.
 */
@Command(
    name = "refit",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = "Local-registry patching pipeline for container images.",
    subcommands = {
      PlanCommand.class, PrepareCommand.class, RegistryCommand.class, DemoCommand.class, CommandLine.HelpCommand.class
    })
public final class Main {

  /** Exit code for a failure the user can fix (bad input, unreachable peer, corrupt store). */
  public static final int EXIT_FAILURE = 1;

  /** Exit code for malformed command lines, as picocli uses. */
  public static final int EXIT_USAGE = 2;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Main());
    cli.setExecutionExceptionHandler(new FailureReporter());
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    return cli;
  }
}
