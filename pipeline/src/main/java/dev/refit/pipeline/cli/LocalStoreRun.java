package dev.refit.pipeline.cli;

import dev.refit.error.ExitCode;
import dev.refit.error.RefitException;
import dev.refit.pipeline.diff.StoreDiffs;
import dev.refit.registry.io.FileTrees;
import dev.refit.registry.store.fs.FsStore;
import dev.refit.registry.store.fs.StoreOptions;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Option;

/**
 * The options and the run of a command that reads the embedded registry's store in place (diff,
 * verify): the cache and store directories, a scratch directory under the cache that is removed
 * afterwards, and the work on the {@code refit-diff} worker pool. Mixed in; blocking, main thread.
 */
final class LocalStoreRun {
  @Option(names = "--cache-dir", paramLabel = "DIR", description = "Cache directory (default: $REFIT_CACHE_DIR or ~/.cache/refit).")
  Path cacheDir;

  @Option(names = "--root", paramLabel = "DIR", description = "The embedded registry's store (default: <cache>/registry).")
  Path root;

  /** What runs on the worker pool, with the store, the cache directory and the scratch directory. */
  interface Body<T> {
    T run(FsStore store, Path cache, Path scratch) throws Exception;
  }

  /** What runs on the command's thread, with its Vert.x and the scratch directory. */
  interface VertxBody<T> {
    T run(Vertx vertx, Path scratch) throws Exception;
  }

  /** The cache directory: {@code --cache-dir}, else {@code $REFIT_CACHE_DIR}, else the default. */
  Path cache() {
    return CacheDir.resolve(cacheDir, System.getenv());
  }

  /** The store: {@code --root}, else {@code <cache>/registry}; it need not exist. */
  Path storeRoot() {
    return root != null ? root.toAbsolutePath().normalize() : cache().resolve("registry");
  }

  /** Runs {@code body} on the {@code refit-diff} pool over the store, which must exist. */
  <T> T run(String name, Body<T> body) throws Exception {
    Path storeRoot = storeRoot();
    if (!Files.isDirectory(storeRoot)) {
      throw new RefitException("no local registry store at " + storeRoot,
          "pass --root DIR or --cache-dir DIR pointing at the store 'refit prepare' or"
              + " 'refit registry serve' uses", ExitCode.FAILED);
    }
    return withVertx(name, (vertx, scratch) -> {
      FsStore store = FsStore.open(storeRoot, StoreOptions.defaults());
      return onDiffPool(vertx, () -> body.run(store, cache(), scratch));
    });
  }

  /** Runs {@code body} with a Vert.x and a scratch directory under {@code <cache>/<name>}, removed after. */
  <T> T withVertx(String name, VertxBody<T> body) throws Exception {
    Path scratch = Files.createTempDirectory(Files.createDirectories(cache().resolve(name)), "run-");
    try {
      return CommandVertx.run(vertx -> body.run(vertx, scratch));
    } finally {
      delete(scratch);
    }
  }

  /** Runs {@code work} on the {@code refit-diff} pool and waits for it (at most an hour). */
  static <T> T onDiffPool(Vertx vertx, Callable<T> work) throws Exception {
    // Held until the work ends: Vert.x closes an unreachable WorkerExecutor from a Cleaner,
    // which interrupts the task it runs (a read then fails with ClosedByInterruptException).
    WorkerExecutor pool = vertx.createSharedWorkerExecutor(StoreDiffs.POOL);
    try {
      return pool.executeBlocking(work, false).toCompletionStage().toCompletableFuture()
          .get(1, TimeUnit.HOURS);
    } finally {
      pool.close();
    }
  }

  private static void delete(Path dir) {
    try {
      FileTrees.delete(dir);
    } catch (IOException e) {
      System.getLogger(LocalStoreRun.class.getName()).log(System.Logger.Level.WARNING,
          "could not remove " + dir + ": " + e.getMessage());
    }
  }
}
