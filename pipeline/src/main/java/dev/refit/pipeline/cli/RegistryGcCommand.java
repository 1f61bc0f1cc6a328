package dev.refit.pipeline.cli;

import dev.refit.error.ExitCode;
import dev.refit.error.RefitException;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.store.fs.FsStore;
import dev.refit.registry.store.fs.GarbageCollector;
import dev.refit.registry.store.fs.StoreLock;
import dev.refit.registry.store.fs.StoreOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code refit registry gc}: marks from every tag, manifest and referrer, sweeps the rest. Blocking. */
@Command(
    name = "gc",
    mixinStandardHelpOptions = true,
    description = {
      "Remove blobs no manifest, tag or referrer reaches, and expire abandoned uploads.",
      "Blobs younger than --grace are kept, so in-flight pushes are never broken."
    })
final class RegistryGcCommand implements Callable<Integer> {

  @Mixin GlobalOptions global;

  @Option(names = "--root", description = "Store directory (default: $REFIT_CACHE_DIR/registry).")
  Path root;

  @Option(names = "--dry-run", description = "Report what would be removed; remove nothing.")
  boolean dryRun;

  @Option(
      names = "--grace",
      defaultValue = "1h",
      converter = DurationConverter.class,
      description = "Keep unreferenced blobs younger than this (default: ${DEFAULT-VALUE}).")
  Duration grace;

  @Option(
      names = "--upload-expiry",
      defaultValue = "24h",
      converter = DurationConverter.class,
      description = "Remove uploads idle for longer than this (default: ${DEFAULT-VALUE}).")
  Duration uploadExpiry;

  @Override
  public Integer call() {
    Path storeRoot = StoreRoots.existing(root);
    dev.refit.registry.store.fs.GcReport report;
    // Offline GC must be the store's only writer: a serving registry holds this lock, and
    // collects its store itself when started with --gc-interval.
    try (StoreLock lock = acquire(storeRoot)) {
      FsStore store = FsStore.open(storeRoot, new StoreOptions(uploadExpiry, grace));
      report = new GarbageCollector(store).run(dryRun);
    }
    String verb = report.dryRun() ? "would remove" : "removed";
    for (Digest d : report.removedBlobs()) {
      global.out().println(verb + " blob " + d);
    }
    for (String u : report.expiredUploads()) {
      global.out().println(verb + " upload " + u);
    }
    for (String link : report.unlinked()) {
      global.out().println("removed dangling " + link);
    }
    global.out().printf(
        "gc: %s %d blob(s), %d byte(s); %d expired upload(s)%s%n",
        verb,
        report.removedBlobs().size(),
        report.bytesFreed(),
        report.expiredUploads().size(),
        report.dryRun() ? " (dry run)" : "");
    return 0;
  }

  private static StoreLock acquire(Path storeRoot) {
    try {
      return StoreLock.acquire(storeRoot);
    } catch (StoreLock.StoreInUseException e) {
      throw new RefitException(e.getMessage(),
          "a serving registry collects its own store: start it with 'registry serve"
              + " --gc-interval 1h' (with --gc-grace as needed), or stop it and run gc again",
          ExitCode.FAILED, e);
    }
  }
}
