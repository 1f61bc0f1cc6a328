package dev.refit.pipeline.cli;

import dev.refit.error.ExitCode;
import dev.refit.error.RefitException;
import dev.refit.registry.store.fs.FsStore;
import dev.refit.registry.store.fs.StoreOptions;
import dev.refit.registry.store.fs.StoreVerifier;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code refit registry verify}: re-hashes every blob and checks every manifest's references and
 * every repository link. Blocking.
 */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Re-hash every blob; check that every manifest's references and every repository's"
          + " blob and manifest links point at something ('registry gc' removes dangling links).",
      "Exits 1 and lists what is corrupt or missing; exits 0 when the store is intact."
    })
final class RegistryVerifyCommand implements Callable<Integer> {

  @Mixin GlobalOptions global;

  @Option(names = "--root", description = "Store directory (default: $REFIT_CACHE_DIR/registry).")
  Path root;

  @Override
  public Integer call() {
    Path storeRoot = StoreRoots.existing(root);
    FsStore store = FsStore.open(storeRoot, StoreOptions.defaults());
    dev.refit.registry.store.fs.VerifyReport report = new StoreVerifier(store).verify();
    report.corrupt().forEach(c -> global.out().println("corrupt: " + c));
    report.missing().forEach(m -> global.out().println("missing: " + m));
    global.out().printf(
        "verify: %d blob(s) and %d manifest(s) checked; %d corrupt, %d missing%n",
        report.blobsChecked(), report.manifestsChecked(), report.corrupt().size(), report.missing().size());
    global.out().flush();
    if (!report.ok()) {
      throw new RefitException("the store at " + storeRoot + " is damaged: "
          + report.corrupt().size() + " corrupt, " + report.missing().size() + " missing", null,
          ExitCode.FAILED);
    }
    return ExitCode.DONE.code();
  }
}
