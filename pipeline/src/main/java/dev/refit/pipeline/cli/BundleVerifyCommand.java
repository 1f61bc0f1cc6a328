package dev.refit.pipeline.cli;

import dev.refit.error.ExitCode;
import dev.refit.pipeline.bundle.BundleIndex;
import dev.refit.pipeline.bundle.BundleVerify;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code refit bundle verify}: hashes every blob of a bundle and checks it against its index. Blocking. */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Check a bundle in one pass: every blob against its digest, every manifest's references,"
          + " and the file against its own index.",
      "Exit 0 intact, 1 names each corrupt or missing entry."
    })
final class BundleVerifyCommand implements Callable<Integer> {

  @Mixin GlobalOptions global;

  @Parameters(paramLabel = "BUNDLE", description = "The bundle file.")
  Path bundle;

  @Override
  public Integer call() {
    BundleIndex index = BundleVerify.run(bundle);
    global.out().printf("%s: intact, %d image(s), %d blob(s)%s%n", bundle, index.images().size(),
        index.blobs().size(), index.base() == null ? "" : "; differential, needs " + index.base().blobs().size()
            + " blob(s) of " + index.base().bundle());
    global.out().flush();
    return ExitCode.DONE.code();
  }
}
