package dev.refit.pipeline.cli;

import dev.refit.error.ExitCode;
import dev.refit.error.RefitException;
import dev.refit.pipeline.mirror.DestinationNaming;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Which images of a sync file {@code mirror} and {@code bundle create} take, and how they name
 * them. Mixed in; not thread-safe (one per command instance).
 */
final class NamingOptions {
  @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]",
      description = "Keep only these platforms of each index (repeatable); overrides refit.platforms.")
  List<String> platforms = new ArrayList<>();

  @Option(names = "--scoped", description = "Name destinations HOST/PATH/NAME, as skopeo sync --scoped.")
  boolean scoped;

  @Option(names = "--keep-path", description = "Name destinations PATH/NAME (the source path without its host).")
  boolean keepPath;

  DestinationNaming naming() {
    if (scoped && keepPath) {
      throw new RefitException("--scoped and --keep-path contradict each other", "choose one", ExitCode.USAGE);
    }
    return scoped ? DestinationNaming.SCOPED : keepPath ? DestinationNaming.PATH : DestinationNaming.BASE;
  }
}
