package dev.refit.pipeline.cli;

import dev.refit.error.ExitCode;
import dev.refit.error.RefitException;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.store.fs.FsStore;
import dev.refit.registry.store.fs.GarbageCollector;
import dev.refit.registry.store.fs.GcReport;
import dev.refit.registry.store.fs.StoreLock;
import dev.refit.registry.store.fs.StoreOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code refit registry gc}: marks from every tag, manifest and referrer, sweeps the rest; on a
 * store that a {@code registry serve} holds, asks that server to do it ({@link ServedGc}).
 * Blocking.
 */
@Command(
    name = "gc",
    mixinStandardHelpOptions = true,
    description = {
      "Remove blobs no manifest, tag or referrer reaches, and expire abandoned uploads.",
      "Blobs younger than --grace are kept, so in-flight pushes are never broken.",
      "On a store a running 'registry serve' holds, asks that server to collect it (with its own --gc-grace and --upload-expiry)."
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

  @Option(names = "--username",
      description = "htpasswd user, when the registry serving the store requires auth.")
  String username;

  @Option(names = "--password-file", description = "File holding that user's password.")
  Path passwordFile;

  @Override
  public Integer call() throws InterruptedException {
    Path storeRoot = StoreRoots.existing(root);
    GcReport report;
    // Offline GC must be the store's only writer. A serving registry holds this lock; then the
    // server runs gc itself, inside its own locking (GarbageCollector).
    StoreLock lock;
    try {
      lock = StoreLock.acquire(storeRoot);
    } catch (StoreLock.StoreInUseException e) {
      StoreLock.Served served = StoreLock.served(storeRoot).orElseThrow(() -> inUse(e));
      report = new ServedGc(served, authorization(served)).run(dryRun);
      print(report);
      return 0;
    }
    try (lock) {
      FsStore store = FsStore.open(storeRoot, new StoreOptions(uploadExpiry, grace));
      report = new GarbageCollector(store).run(dryRun);
    }
    print(report);
    return 0;
  }

  private void print(GcReport report) {
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
  }

  /** The Basic credentials the serving registry needs, or null when it has no auth. */
  private String authorization(StoreLock.Served served) {
    if (served.baseUrl().startsWith("https:")) {
      throw new RefitException("the registry serving this store (process " + served.pid()
          + ") serves HTTPS, which 'registry gc' does not call",
          "collect with 'registry serve --gc-interval 1h', or stop it and run gc again",
          ExitCode.FAILED);
    }
    if (!served.auth()) {
      return null;
    }
    if (username == null || passwordFile == null) {
      throw new RefitException("the registry serving this store (process " + served.pid() + ", "
          + served.baseUrl() + ") requires credentials to run gc",
          "pass --username USER --password-file FILE, an htpasswd user of that server",
          ExitCode.FAILED);
    }
    try {
      return ServedGc.basic(username, Files.readString(passwordFile, StandardCharsets.UTF_8).strip());
    } catch (IOException e) {
      throw new RefitException("cannot read --password-file " + passwordFile,
          "check the path and permissions", ExitCode.FAILED, e);
    }
  }

  private static RefitException inUse(StoreLock.StoreInUseException e) {
    return new RefitException(e.getMessage(),
        "that process does not take gc requests (an offline gc, or an older server): wait for"
            + " it or stop it and run gc again; a server started with 'registry serve"
            + " --gc-interval 1h' also collects its own store",
        ExitCode.FAILED, e);
  }
}
