package dev.refit.pipeline.mirror;

import dev.refit.error.Causes;
import dev.refit.pipeline.cluster.WorkerRuns;
import dev.refit.registry.client.ClientOptions;
import dev.refit.settings.sync.SyncFile;
import dev.refit.settings.sync.SyncFileLoader;
import dev.refit.settings.sync.SyncRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.function.Consumer;

/**
 * {@code refit worker}'s mirror side: takes {@link MirrorJob}s from the cluster's shared mirror
 * address and copies each image through the same {@link MirrorRunner#mirror} a local run uses,
 * replying with its {@link MirrorOutcome}. A coordinator's run is set up at its first job (the
 * sync file read at the coordinator's path, the source clients, the destination and this
 * worker's own copier, which deduplicates blobs across the jobs it takes) and released when the
 * coordinator announces the end. Thread-safe; event-loop code only composes Futures; a run's
 * set-up runs on {@code refit-mirror-setup}.
 */
public final class MirrorWorker {
  private final Vertx vertx;
  private final String version;
  private final Consumer<String> log;
  /** Reads a run's sync file; one thread, since runs are set up rarely. */
  private final WorkerExecutor setup;
  private WorkerRuns<Run> runs;
  private MessageConsumer<MirrorJob> jobs;

  private MirrorWorker(Vertx vertx, String version, Consumer<String> log) {
    this.vertx = vertx;
    this.version = version;
    this.log = log;
    this.setup = vertx.createSharedWorkerExecutor("refit-mirror-setup", 1);
  }

  /** Starts taking jobs; {@code log} gets one line per job started and finished. */
  public static Future<MirrorWorker> start(Vertx vertx, String version, Consumer<String> log) {
    MirrorJob.registerOn(vertx.eventBus());
    MirrorWorker worker = new MirrorWorker(vertx, version, log);
    return WorkerRuns.<Run>listen(vertx, ClusterMirror.RUN_ENDED, Run::close).compose(runs -> {
      worker.runs = runs;
      // The reply deadline is the coordinator's (--job-timeout); this side never sends.
      worker.jobs = vertx.eventBus().consumer(ClusterMirror.ADDRESS, message -> worker.take(message.body())
          .onSuccess(message::reply)
          .onFailure(e -> message.fail(1, Causes.describe(e))));
      return worker.jobs.completion();
    }).map(worker);
  }

  private Future<MirrorOutcome> take(MirrorJob job) {
    if (!version.equals(job.version())) {
      return Future.failedFuture(new IllegalStateException("the worker runs refit " + version
          + " and the coordinator refit " + job.version() + "; run one version on every node"));
    }
    return runs.get(job.run(), () -> setup.executeBlocking(() -> Run.open(vertx, job.spec()), false))
        .compose(run -> {
          MirrorItem item = job.item(run.source(job.sourceKey(), job.sourceRepository()));
          log.accept(item.describeSource() + ": started (run " + job.run() + ")");
          return run.runner.mirror(item);
        })
        .onSuccess(o -> log.accept(o.source() + ": " + o.action() + " to " + o.destination()
            + (o.error() == null ? "" : ": " + o.error())));
  }

  /** Stops taking jobs and releases every run. */
  public Future<Void> close() {
    return jobs.unregister().transform(v -> runs.close()).eventually(setup::close);
  }

  /** One coordinator run as this worker set it up. */
  private record Run(SyncFile sync, SourceClients clients, Destination destination, MirrorRunner runner) {

    /** Reads the sync file and opens the destination. Blocking. */
    static Run open(Vertx vertx, MirrorJob.Spec spec) {
      SyncFile sync = spec.syncFile() == null ? null : SyncFileLoader.load(spec.syncFile());
      Destination destination = Destinations.open(vertx, spec.to(), null, spec.destTlsVerify());
      return new Run(sync, new SourceClients(vertx), destination,
          MirrorRunner.of(destination, spec.blobsInFlight()));
    }

    /** The source repository, through the client its sync-file key (or reference host) configures. */
    SourceRepo source(String key, String repository) {
      SyncRegistry registry = sync == null ? null
          : sync.registries().stream().filter(r -> r.host().equals(key)).findFirst().orElse(null);
      return SourceRepo.registry(registry != null ? clients.client(registry)
          : clients.client(key, ClientOptions.defaults()), repository);
    }

    Future<Void> close() {
      return Future.join(clients.close(), destination.close()).mapEmpty();
    }
  }
}
