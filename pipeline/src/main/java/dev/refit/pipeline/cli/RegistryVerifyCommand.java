package dev.refit.pipeline.cli;

import dev.refit.registry.store.fs.FsStore;
import dev.refit.registry.store.fs.StoreOptions;
import dev.refit.registry.store.fs.StoreVerifier;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code refit registry verify}: re-hashes every blob and checks every manifest's references. Blocking. */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Re-hash every blob and check that every manifest's references exist.",
      "Exits 1 and lists what is corrupt or missing; exits 0 when the store is intact."
    })
final class RegistryVerifyCommand implements Callable<Integer> {

  @Mixin GlobalOptions global;

  @Option(names = "--root", description = "Store directory (default: $REFIT_CACHE_DIR/registry).")
  Path root;

  @Override
  public Integer call() {
    FsStore store = FsStore.open(StoreRoots.existing(root), StoreOptions.defaults());
    dev.refit.registry.store.fs.VerifyReport report = new StoreVerifier(store).verify();
    report.corrupt().forEach(c -> global.out().println("corrupt: " + c));
    report.missing().forEach(m -> global.out().println("missing: " + m));
    global.out().printf(
        "verify: %d blob(s) and %d manifest(s) checked; %d corrupt, %d missing%n",
        report.blobsChecked(), report.manifestsChecked(), report.corrupt().size(), report.missing().size());
    return report.ok() ? 0 : Main.EXIT_FAILURE;
  }
}
