package dev.refit.pipeline.cli;

import dev.refit.error.ExitCode;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * refit's command-line entry point: wires the subcommands, and {@link FailureReporter} turns a
 * failure into one error line, a hint and its {@link ExitCode}; picocli's own usage errors exit
 * 2 as {@link ExitCode#USAGE} does. Stack traces appear only with {@code --debug}. Run on the
 * main thread.
 */
@Command(
    name = "refit",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = "Local-registry patching pipeline for container images.",
    subcommands = {
      PlanCommand.class, PrepareCommand.class, WorkerCommand.class, MirrorCommand.class, DiffCommand.class, VerifyCommand.class, BundleCommand.class, RegistryCommand.class, DemoCommand.class, CommandLine.HelpCommand.class
    })
public final class Main {

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
