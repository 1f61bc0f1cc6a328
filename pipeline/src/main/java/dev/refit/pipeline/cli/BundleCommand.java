package dev.refit.pipeline.cli;

import picocli.CommandLine.Command;

/** Groups the bundle subcommands: one file that carries images across an air gap. */
@Command(
    name = "bundle",
    mixinStandardHelpOptions = true,
    description = "Write, check and load single-file image bundles (an OCI layout that docker load also reads).",
    subcommands = {BundleCreateCommand.class, BundleVerifyCommand.class, BundleLoadCommand.class})
final class BundleCommand {}
