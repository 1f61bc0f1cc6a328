package dev.refit.pipeline.prepare;

import dev.refit.pipeline.cluster.WorkerRuns;
import dev.refit.pipeline.fetch.FetchResult;
import dev.refit.pipeline.fetch.ImageFetcher;
import dev.refit.pipeline.fetch.UpstreamAccess;
import dev.refit.pipeline.fetch.UpstreamForms;
import dev.refit.pipeline.local.LocalRegistry;
import dev.refit.registry.client.ClientOptions;
import dev.refit.registry.oci.ImageRef;
import dev.refit.settings.LoadedSettings;
import dev.refit.settings.config.RefitConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * {@code refit worker}: takes {@link ClusterJob}s from the cluster's shared intake and runs each
 * through the same {@link ImageJob} a local run uses, with this worker's own cache, layer index
 * and run directory, pushing to the registry the coordinator named. A run is set up at its
 * first job and released when its coordinator announces the end. Thread-safe; event-loop code
 * only composes Futures; the settings are read on {@code refit-worker-setup}, the rest of a run's
 * set-up and its stages run on {@code refit-prepare-work}.
 */
public final class ClusterWorker {
  private final Vertx vertx;
  private final Path cacheDir;
  private final String version;
  private final Consumer<String> log;
  /** Reads a run's settings files; one thread, since runs are set up rarely. */
  private final WorkerExecutor setup;
  private WorkerRuns<Run> runs;
  private JobIntake<ClusterJob> intake;

  private ClusterWorker(Vertx vertx, Path cacheDir, String version, Consumer<String> log) {
    this.vertx = vertx;
    this.cacheDir = cacheDir;
    this.version = version;
    this.log = log;
    this.setup = vertx.createSharedWorkerExecutor("refit-worker-setup", 1);
  }

  /** Starts taking jobs; {@code log} gets one line per job started and finished. */
  public static Future<ClusterWorker> start(Vertx vertx, Path cacheDir, String version,
      Consumer<String> log) {
    ClusterWorker worker = new ClusterWorker(vertx, cacheDir, version, log);
    // The reply deadline is the coordinator's (job_timeout); this side never sends.
    return WorkerRuns.<Run>listen(vertx, ClusterDispatch.RUN_ENDED, Run::close)
        .compose(runs -> {
          worker.runs = runs;
          return JobIntake.<ClusterJob>at(vertx, ClusterDispatch.ADDRESS, Duration.ZERO, worker::take);
        })
        .map(intake -> {
          worker.intake = intake;
          return worker;
        });
  }

  private Future<ImageOutcome> take(ClusterJob job) {
    if (!version.equals(job.version())) {
      return Future.failedFuture(new IllegalStateException("the worker runs refit " + version
          + " and the coordinator refit " + job.version() + "; run one version on every node"));
    }
    log.accept(job.task().service() + ": started (run " + job.run() + ")");
    return runs.get(job.run(), () -> Run.open(vertx, setup, job.spec(), cacheDir, version))
        .compose(run -> {
          run.fetched.put(job.task().upstream(), job.fetched());
          return run.job.run(job.task());
        })
        .onSuccess(o -> log.accept(o.service() + ": " + o.action().label() + " in " + o.millis() + " ms"));
  }

  /** Stops taking jobs and releases every run. */
  public Future<Void> close() {
    return intake.close().transform(v -> runs.close()).eventually(setup::close);
  }

  /** One coordinator run as this worker set it up. */
  private record Run(ImageJob job, Map<ImageRef, FetchResult> fetched, LocalRegistry local,
      RunDir dir, UpstreamAccess access, WorkerExecutor work) {

    /** Loads the settings, connects to the registry, reads the patches and wires the recipe. */
    static Future<Run> open(Vertx vertx, WorkerExecutor setup, RunSpec spec, Path cacheDir,
        String version) {
      return setup.executeBlocking(() -> UpstreamForms.normalized(spec.load()), false)
          .compose(settings -> open(vertx, settings, spec, cacheDir, version));
    }

    private static Future<Run> open(Vertx vertx, LoadedSettings settings, RunSpec spec,
        Path cacheDir, String version) {
      RefitConfig config = settings.config();
      PrepareOptions options = PrepareOptions.of(cacheDir).withBuilder(spec.builder())
          .withVersion(version);
      WorkerExecutor work = vertx.createSharedWorkerExecutor("refit-prepare-work", config.concurrency());
      UpstreamAccess access = UpstreamAccess.of(vertx, ClientOptions.defaults(), cacheDir, spec.noFetch());
      Map<ImageRef, FetchResult> fetched = new ConcurrentHashMap<>();
      Future<LocalRegistry> local = LocalRegistry.open(vertx, config.localRegistry(),
          cacheDir.resolve("registry"));
      Future<RunDir> dir = local.compose(l -> work.executeBlocking(() -> RunDir.create(cacheDir), false));
      return dir.compose(d -> work.executeBlocking(
              () -> access.patches(config).fetchAll(settings.patches().all()).patches(), false))
          .map(patches -> {
            JobFactory jobs = new JobFactory(vertx, settings, options);
            var images = jobs.imageAccess(local.result(), dir.result().path());
            ImageJob job = jobs.job(local.result(), dir.result().path(), work,
                new PatchMapping(config, patches, images), images, sentBy(fetched), Map.of());
            return new Run(job, fetched, local.result(), dir.result(), access, work);
          })
          .recover(e -> {
            // Release what was set up; the next job of the run tries again.
            Future<Void> released = dir.succeeded()
                ? new Run(null, fetched, local.result(), dir.result(), access, work).close()
                : (local.succeeded() ? local.result().close() : Future.<Void>succeededFuture())
                    .eventually(access::close).eventually(work::close);
            return released.transform(v -> Future.failedFuture(e));
          });
    }

    /** The fetcher of a worker: the coordinator fetched, and each job brings its result. */
    private static ImageFetcher sentBy(Map<ImageRef, FetchResult> fetched) {
      return new ImageFetcher() {
        @Override
        public Future<Map<ImageRef, FetchResult>> settle(List<ImageRef> images, List<String> missing) {
          return Future.succeededFuture(Map.of());
        }

        @Override
        public Future<FetchResult> fetch(ImageRef image) {
          FetchResult r = fetched.get(image);
          return r != null ? Future.succeededFuture(r)
              : Future.failedFuture(new IllegalStateException("the coordinator sent no fetch result for " + image));
        }
      };
    }

    Future<Void> close() {
      return work.executeBlocking(() -> {
            dir.close();
            return null;
          }, false)
          .eventually(local::close)
          .eventually(access::close)
          .eventually(work::close)
          .mapEmpty();
    }
  }
}
