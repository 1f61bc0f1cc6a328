package dev.refit.pipeline.prepare;

import dev.refit.error.Causes;
import dev.refit.patches.image.RegistryImageAccess;
import dev.refit.patches.source.FetchedPatch;
import dev.refit.patches.source.PatchCacheMissException;
import dev.refit.pipeline.cluster.ClusterOptions;
import dev.refit.pipeline.fetch.CacheIndex;
import dev.refit.pipeline.fetch.CacheMissException;
import dev.refit.pipeline.fetch.ImageFetcher;
import dev.refit.pipeline.fetch.UpstreamAccess;
import dev.refit.pipeline.fetch.UpstreamForms;
import dev.refit.pipeline.local.LocalRegistry;
import dev.refit.pipeline.progress.JobEvents;
import dev.refit.settings.LoadedSettings;
import dev.refit.settings.config.ArtifactConfig;
import dev.refit.settings.config.RefitConfig;
import dev.refit.settings.config.UpstreamConfig;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code refit prepare}: wires one run's stages and sends one job per image over the event bus,
 * then rewrites the image lists once all jobs answered. {@link #withCluster} sends the jobs to
 * cluster workers instead ({@link ClusterDispatch}), after fetching each image here. The collaborators that reach upstream
 * come from the {@link UpstreamAccess} it is given (which alone knows about {@code --no-fetch}).
 * Thread-safe; {@link #run} returns at once, and every blocking step runs on the named worker
 * pool {@code refit-prepare-work} ({@code refit.yaml} concurrency), never on an event loop.
 */
public final class PreparePipeline {
  /** Event-bus address of job events (progress, result, failure). */
  public static final String EVENTS = "refit.prepare.events";
  /** How long one blocking registry request inside a stage may take. */
  static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(5);

  private final Vertx vertx;
  private final LoadedSettings settings;
  private final PrepareOptions options;
  private final UpstreamAccess access;
  /** The cluster's workers take the jobs when set; else this process runs them. */
  private final Cluster cluster;

  /** A clustered run's worker settings and how long a job waits for a worker. */
  private record Cluster(RunSpec spec, ClusterOptions options) {}

  public PreparePipeline(Vertx vertx, LoadedSettings settings, PrepareOptions options,
      UpstreamAccess access) {
    this(vertx, UpstreamForms.normalized(settings), options, access, null);
  }

  private PreparePipeline(Vertx vertx, LoadedSettings settings, PrepareOptions options,
      UpstreamAccess access, Cluster cluster) {
    this.vertx = vertx;
    // docker://HOST/NAMESPACE becomes the registry form; a layout directory becomes absolute.
    this.settings = settings;
    this.options = options;
    this.access = access;
    this.cluster = cluster;
  }

  /**
   * The same run as coordinator of a cluster ({@code vertx} must be clustered): images are
   * fetched here and every other stage runs on the workers, which read the settings named by
   * {@code spec}; a job waits up to the cluster's worker wait for a worker.
   */
  public PreparePipeline withCluster(RunSpec spec, ClusterOptions cluster) {
    return new PreparePipeline(vertx, settings, options, access, new Cluster(spec, cluster));
  }

  /** A clustered run's store must be a registry every node reaches; exit 2 for the embedded one. */
  public static void requireSharedRegistry(RefitConfig config) {
    if (config.localRegistry().embedded()) {
      throw new dev.refit.error.RefitException("--cluster needs a registry every node reaches by"
          + " URL; the embedded store serves one machine", "pass --registry http://HOST:PORT"
          + " (distribution, Harbor, zot or 'refit registry serve' on one node), or set"
          + " local_registry.url in refit.yaml", dev.refit.error.ExitCode.USAGE);
    }
  }

  /**
   * Runs the whole pipeline. Fails only for run-wide problems (offline cache miss, unreadable
   * settings, unreachable local registry); an image's own failure is a FAILED row.
   */
  public Future<PrepareReport> run() {
    RefitConfig config = settings.config();
    var unsupported = UpstreamForms.unsupported(config.upstream());
    if (unsupported.isPresent()) {
      return Future.failedFuture(new dev.refit.error.RefitException(unsupported.get(), null,
          dev.refit.error.ExitCode.USAGE));
    }
    if (cluster != null) {
      try {
        requireSharedRegistry(config);
      } catch (RuntimeException e) {
        return Future.failedFuture(e);
      }
    }
    WorkerExecutor work = vertx.createSharedWorkerExecutor("refit-prepare-work", config.concurrency());
    return LocalRegistry.open(vertx, config.localRegistry(), options.cacheDir().resolve("registry"))
        .compose(local -> {
          local.notice().ifPresent(n -> vertx.eventBus().publish(EVENTS,
              new JsonObject().put("type", "notice").put("message", n)));
          // The run directory is locked while the run lives; one left by a killed run is removed.
          return work.executeBlocking(() -> RunDir.create(options.cacheDir()), false)
              .compose(run -> runIn(local, run.path(), work)
                  .eventually(() -> work.executeBlocking(() -> {
                    run.close();
                    return null;
                  }, false)))
              .eventually(local::close);
        })
        .eventually(work::close);
  }

  private Future<PrepareReport> runIn(LocalRegistry local, Path runDir, WorkerExecutor work) {
    RefitConfig config = settings.config();
    String os = settings.deploy().osVersion();
    UpstreamConfig upstream = config.upstream();
    Future<CacheIndex> index = work.executeBlocking(() -> CacheIndex.loadFrom(options.cacheDir()), false);
    Future<List<FetchedPatch>> patches = work.executeBlocking(
        () -> access.patches(config).fetchAll(settings.patches().all()).patches(), false);
    Future<List<String>> services = index.compose(i -> work.executeBlocking(
        () -> access.discovery(i).services(upstream, os, config.images()), false));
    Future<List<ArtifactOutcome>> artifacts = index.compose(this::artifacts);
    return Future.join(index, patches, services, artifacts)
        .transform(done -> missesTogether(index, patches, services, artifacts))
        .compose(names -> {
          List<FetchedPatch> fetched = patches.succeeded() ? patches.result() : List.of();
          JobFactory jobs = new JobFactory(vertx, settings, options);
          RegistryImageAccess images = jobs.imageAccess(local, runDir);
          PatchMapping mapping = new PatchMapping(config, fetched, images);
          List<ImageTask> tasks = names.stream()
              .map(s -> new ImageTask(s, UpstreamForms.imageRef(upstream, os, s))).toList();
          ImageFetcher fetcher = access.images(index.result(), local.client());
          return work.executeBlocking(() -> {
                mapping.checkMatched(names);
                return null;
              }, false)
              .compose(v -> fetcher.settle(tasks.stream().map(ImageTask::upstream).toList(),
                  missingPatches(patches)))
              .transform(settled -> withMissingArtifacts(settled, missingArtifacts(artifacts)))
              .compose(settled -> cluster != null
                  ? new ClusterDispatch(vertx, cluster.spec(), options.version(),
                      config.jobTimeout(), cluster.options())
                      .dispatch(tasks, new FetchStage(fetcher, settled))
                  : dispatch(tasks, jobs.job(local, runDir, work, mapping, images, fetcher, settled)))
              .compose(outcomes -> rewrite(local, work, artifacts.result()).apply(outcomes))
              .compose(report -> work.executeBlocking(() -> {
                index.result().save();
                vertx.eventBus().publish(EVENTS, JobEvents.done(report.exitCode()));
                return report;
              }, false));
        });
  }

  /**
   * The run's file artifacts (refit.yaml {@code artifacts}), fetched before any image's job; no
   * fetcher is made when there are none.
   */
  private Future<List<ArtifactOutcome>> artifacts(CacheIndex index) {
    List<ArtifactConfig> artifacts = settings.config().artifacts();
    if (artifacts.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return new ArtifactStage(access.artifacts(index), options.cacheDir()).apply(artifacts);
  }

  /**
   * The discovered services. Offline, a missing image catalog fails with one
   * {@link CacheMissException} that also names the missing artifacts and Gerrit patches; missing
   * artifacts and patches alone wait for the image fetcher's settle, which names them with the
   * missing images. Any other failure as it is, a failed artifact download included: then no
   * image's job starts and no image list is written.
   */
  private static Future<List<String>> missesTogether(Future<CacheIndex> index,
      Future<List<FetchedPatch>> patches, Future<List<String>> services,
      Future<List<ArtifactOutcome>> artifacts) {
    if (services.failed() && services.cause() instanceof CacheMissException c) {
      List<String> missing = new ArrayList<>(c.images());
      missing.addAll(missingArtifacts(artifacts));
      return Future.failedFuture(new CacheMissException(missing, missingPatches(patches)));
    }
    for (Future<?> f : List.of(index, patches, services, artifacts)) {
      if (f.failed() && !(f.cause() instanceof PatchCacheMissException)
          && !(f == artifacts && f.cause() instanceof CacheMissException)) {
        return Future.failedFuture(f.cause());
      }
    }
    return services;
  }

  /** The settled images, or one {@link CacheMissException} that also names the missing artifacts. */
  private static <T> Future<T> withMissingArtifacts(AsyncResult<T> settled, List<String> missingArtifacts) {
    if (settled.failed() && settled.cause() instanceof CacheMissException c && !missingArtifacts.isEmpty()) {
      List<String> missing = new ArrayList<>(c.images());
      missing.addAll(missingArtifacts);
      return Future.failedFuture(new CacheMissException(missing, c.patches()));
    }
    if (settled.failed()) {
      return Future.failedFuture(settled.cause());
    }
    return missingArtifacts.isEmpty() ? Future.succeededFuture(settled.result())
        : Future.failedFuture(new CacheMissException(missingArtifacts));
  }

  private static List<String> missingArtifacts(Future<List<ArtifactOutcome>> artifacts) {
    return artifacts.failed() && artifacts.cause() instanceof CacheMissException c
        ? c.images() : List.of();
  }

  private static List<String> missingPatches(Future<List<FetchedPatch>> patches) {
    return patches.failed() && patches.cause() instanceof PatchCacheMissException p
        ? p.missing() : List.of();
  }

  /**
   * Sends one job per image through the event-bus intake and joins the replies, in task order;
   * a job that did not answer is a FAILED row.
   */
  private Future<List<ImageOutcome>> dispatch(List<ImageTask> tasks, ImageJob job) {
    return JobIntake.register(vertx, settings.config().jobTimeout(), task -> {
      vertx.eventBus().publish(EVENTS, JobEvents.queued(task.service(), task.upstream().toString()));
      return job.run(task);
    }).compose(intake -> {
      List<Future<ImageOutcome>> jobs = tasks.stream().map(intake::submit).toList();
      return Future.join(jobs).<List<ImageOutcome>>transform(done -> {
        List<ImageOutcome> outcomes = new ArrayList<>();
        for (int i = 0; i < tasks.size(); i++) {
          Future<ImageOutcome> f = jobs.get(i);
          ImageTask t = tasks.get(i);
          outcomes.add(f.succeeded() ? f.result() : ImageOutcome.failed(t.service(),
              t.upstream().toString(), null, "job: " + Causes.describe(f.cause()), 0));
        }
        return Future.succeededFuture(outcomes);
      }).eventually(intake::close);
    });
  }

  private RewriteStage rewrite(LocalRegistry local, WorkerExecutor work, List<ArtifactOutcome> artifacts) {
    RefitConfig config = settings.config();
    return new RewriteStage(options.envFiles(), options.keepGoing(), local.address(),
        config.upstream(), settings.deploy().osVersion(), config.tag().name(), options.cacheDir(),
        artifacts, work);
  }

}
