package dev.refit.pipeline.cli;

import dev.refit.error.ExitCode;
import dev.refit.error.RefitException;
import dev.refit.pipeline.mirror.MirrorWorker;
import dev.refit.pipeline.prepare.ClusterWorker;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code refit worker --cluster}: joins the cluster and runs the image jobs coordinators send
 * ({@code refit prepare --cluster} and {@code refit mirror --cluster}, each at its own address)
 * until stopped (SIGTERM or Ctrl-C leaves the cluster). One line
 * per job started and finished on stdout. Blocking; one instance per process.
 */
@Command(
    name = "worker",
    mixinStandardHelpOptions = true,
    description = {
      "Join refit's cluster and run the image jobs of 'refit prepare --cluster' and"
          + " 'refit mirror --cluster' coordinators, with this machine's cache, pushing to the"
          + " coordinator's registry.",
      "Runs until stopped. Exit 1 when the cluster cannot form or runs another refit version,"
          + " 2 on bad usage."
    })
final class WorkerCommand implements Callable<Integer> {
  @Mixin GlobalOptions global;

  @Mixin ClusterFlags cluster;

  @Option(names = "--cache-dir", description = "This worker's cache directory (default:"
      + " $REFIT_CACHE_DIR, else ~/.cache/refit).")
  Path cacheDir;

  @Override
  public Integer call() throws Exception {
    if (!cluster.enabled) {
      throw new RefitException("refit worker runs only in a cluster",
          "add --cluster, with --cluster-members naming a coordinator or another worker",
          ExitCode.USAGE);
    }
    Path cache = CacheDir.resolve(cacheDir, System.getenv());
    PrintWriter out = global.out();
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Vertx vertx = cluster.vertx();
    ClusterWorker worker;
    MirrorWorker mirrors;
    try {
      // Lines come from event loops; they are only queued there and printed by this thread, so a
      // slow pipe never blocks an event loop.
      worker = ClusterWorker.start(vertx, cache, Version.current(), lines::add)
          .toCompletionStage().toCompletableFuture().get(1, TimeUnit.MINUTES);
      mirrors = MirrorWorker.start(vertx, Version.current(), lines::add)
          .toCompletionStage().toCompletableFuture().get(1, TimeUnit.MINUTES);
    } catch (Exception e) {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      throw e;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        Future.join(worker.close(), mirrors.close()).eventually(vertx::close)
            .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        // Leaving is best effort when the process ends.
      } finally {
        stopped.countDown();
      }
    }, "refit-worker-leave"));
    out.printf("refit worker %s: joined the cluster at %s; cache %s%n", Version.current(),
        cluster.options().self(), cache);
    out.flush();
    while (!stopped.await(100, TimeUnit.MILLISECONDS)) {
      for (String line = lines.poll(); line != null; line = lines.poll()) {
        out.println(line);
      }
      out.flush();
    }
    return ExitCode.DONE.code();
  }
}
