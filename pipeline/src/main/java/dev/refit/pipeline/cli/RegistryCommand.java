package dev.refit.pipeline.cli;

import picocli.CommandLine.Command;

/** Groups the embedded registry's subcommands. */
@Command(
    name = "registry",
    mixinStandardHelpOptions = true,
    description = "Run and maintain refit's embedded OCI registry.",
    subcommands = {RegistryServeCommand.class, RegistryGcCommand.class, RegistryVerifyCommand.class})
final class RegistryCommand {}
