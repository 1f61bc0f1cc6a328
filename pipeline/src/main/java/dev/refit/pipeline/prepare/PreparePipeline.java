package dev.refit.pipeline.prepare;

import dev.refit.patches.engine.PatchOptions;
import dev.refit.patches.image.LayerCache;
import dev.refit.patches.image.RegistryImageAccess;
import dev.refit.patches.mapping.ImageCatalog;
import dev.refit.patches.mapping.Plan;
import dev.refit.patches.mapping.Planner;
import dev.refit.patches.mapping.ProjectImageMapper;
import dev.refit.patches.source.FetchedPatch;
import dev.refit.patches.source.GerritClient;
import dev.refit.patches.source.PatchCacheMissException;
import dev.refit.patches.source.PatchFetcher;
import dev.refit.pipeline.fetch.CacheIndex;
import dev.refit.pipeline.fetch.FetchResult;
import dev.refit.pipeline.fetch.UpstreamClients;
import dev.refit.pipeline.fetch.UpstreamFetcher;
import dev.refit.pipeline.fetch.UpstreamForms;
import dev.refit.pipeline.local.LocalRegistry;
import dev.refit.pipeline.progress.JobEvents;
import dev.refit.pipeline.rebuild.DaemonlessRebuilder;
import dev.refit.pipeline.rebuild.Rebuilder;
import dev.refit.pipeline.rebuild.docker.DockerEngine;
import dev.refit.pipeline.rebuild.docker.DockerRebuilder;
import dev.refit.pipeline.rewrite.ImageListRewriter;
import dev.refit.pipeline.rewrite.ImageMapping;
import dev.refit.pipeline.rewrite.RewriteResult;
import dev.refit.registry.oci.ImageRef;
import dev.refit.settings.LoadedSettings;
import dev.refit.settings.config.RefitConfig;
import dev.refit.settings.config.UpstreamConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * {@code refit prepare}: per image, one Future chain fetch → plan → patch → rebuild/publish,
 * each image moving on as soon as its own previous stage is done; after all images, the image
 * lists are rewritten and the report written. Thread-safe; {@link #run} returns at once and
 * every blocking step (patching, planning, rebuilding, rewriting, file IO) runs on the bounded
 * {@link WorkPool} ({@code refit.yaml} concurrency), never on an event loop.
 *
 * <p>The event bus carries job intake and job events: each image's job is a message to the
 * run's {@link JobIntake} address, answered with its outcome; progress, results and failures are
 * published at {@link #EVENTS} as JSON objects (shapes in {@link JobEvents}).
 */
public final class PreparePipeline {
  /** Event-bus address of job events (progress, result, failure). */
  public static final String EVENTS = "refit.prepare.events";
  private static final Duration TIMEOUT = Duration.ofMinutes(5);

  private final Vertx vertx;
  private final LoadedSettings settings;
  private final PrepareOptions options;
  private final WorkPool work;

  public PreparePipeline(Vertx vertx, LoadedSettings settings, PrepareOptions options) {
    this.vertx = vertx;
    // docker://HOST/NAMESPACE becomes the registry form; a layout directory becomes absolute.
    this.settings = UpstreamForms.normalized(settings);
    this.options = options;
    this.work = new WorkPool(settings.config().concurrency());
  }

  /**
   * Runs the whole pipeline. Fails only for run-wide problems (offline cache miss, unreadable
   * settings, unreachable local registry); an image's own failure is a FAILED row.
   */
  public Future<PrepareReport> run() {
    RefitConfig config = settings.config();
    Path cache = options.cacheDir();
    return LocalRegistry.open(vertx, config.localRegistry(), cache.resolve("registry"))
        .compose(local -> {
          local.notice().ifPresent(n -> vertx.eventBus().publish(EVENTS,
              new io.vertx.core.json.JsonObject().put("type", "notice").put("message", n)));
          UpstreamClients upstreams = UpstreamClients.of(vertx, options.upstreamOptions());
          return runWith(local, upstreams)
              .eventually(() -> upstreams.close().eventually(local::close))
              .onComplete(done -> work.close());
        });
  }

  private Future<PrepareReport> runWith(LocalRegistry local, UpstreamClients upstreams) {
    UpstreamConfig upstream = settings.config().upstream();
    java.util.Optional<String> unsupported = UpstreamForms.unsupported(upstream);
    if (unsupported.isPresent()) {
      return Future.failedFuture(new dev.refit.error.RefitException(unsupported.get(), null,
          dev.refit.error.ExitCode.USAGE));
    }
    // The run directory is locked while the run lives; one left by a killed run is removed here.
    return blocking(() -> RunDir.create(options.cacheDir())).compose(run ->
        runIn(local, upstreams, run.path()).eventually(() -> blocking(() -> {
          run.close();
          return null;
        })));
  }

  private Future<PrepareReport> runIn(LocalRegistry local, UpstreamClients upstreams, Path runDir) {
    RefitConfig config = settings.config();
    String os = settings.deploy().osVersion();
    UpstreamConfig upstream = config.upstream();
    Future<CacheIndex> index = blocking(() -> CacheIndex.loadFrom(options.cacheDir()));
    // --no-fetch: no Gerrit connection either; patches come from the patch cache, and the ones
    // missing there are reported together with the missing images (one exit 3).
    Future<List<FetchedPatch>> patchFetch = blocking(() -> (options.noFetch()
        ? PatchFetcher.offline(options.cacheDir().resolve("patches"), config.maxPatchBytes())
        : new PatchFetcher(GerritClient.of(config.gerritUrl()), options.cacheDir().resolve("patches"),
            config.maxPatchBytes())).fetchAll(settings.patches().all()))
        .map(dev.refit.patches.source.FetchResult::patches);
    Future<List<FetchedPatch>> patches = patchFetch.recover(e -> e instanceof PatchCacheMissException
        ? Future.succeededFuture(List.of()) : Future.failedFuture(e));
    Future<List<String>> patchMisses = patchFetch.transform(done -> Future.succeededFuture(
        done.cause() instanceof PatchCacheMissException miss ? miss.missing() : List.of()));
    Future<List<String>> services = blocking(() -> config.images().discover()
        ? upstream.kind() == UpstreamConfig.Kind.OCI && !options.noFetch()
            ? UpstreamForms.discover(upstream, os, config.images())
            : ImageCatalog.discover(vertx, options.noFetch() ? local.client()
            : upstreams.client(upstream.registry()), upstream, os, config.images(), TIMEOUT)
        : ImageCatalog.configured(config.images()));

    return Future.all(index, patches, services, patchMisses).compose(ready -> {
      UpstreamFetcher fetcher = new UpstreamFetcher(vertx, index.result(), local.client(),
          upstreams::client, options.noFetch());
      List<String> names = services.result();
      Map<String, ImageRef> refs = names.stream().collect(Collectors.toMap(Function.identity(),
          s -> UpstreamForms.imageRef(upstream, os, s),
          (a, b) -> a, java.util.LinkedHashMap::new));
      // Offline, every reference is checked first so one CacheMissException lists them all.
      Future<Map<String, FetchResult>> offline = checkMatched(patches.result(), names)
          .compose(v -> !options.noFetch() ? Future.succeededFuture(null) : fetcher.fetchAll(List.copyOf(refs.values()), patchMisses.result()).map(list -> {
            Map<String, FetchResult> m = new java.util.HashMap<>();
            int i = 0;
            for (String s : names) {
              m.put(s, list.get(i++));
            }
            return m;
          }));
      return offline.compose(cached -> {
        ImageJob.Context ctx = context(local, fetcher, patches.result(), runDir);
        return runJobs(refs, job -> {
          Future<FetchResult> fetch = cached != null ? Future.succeededFuture(cached.get(job))
              : fetcher.fetch(refs.get(job));
          return new ImageJob(ctx, job, refs.get(job)).run(fetch);
        });
      }).compose(outcomes -> finish(local, outcomes)
          .compose(report -> index.result() == null ? Future.succeededFuture(report)
              : blocking(() -> {
                index.result().save();
                return report;
              })));
    });
  }

  /**
   * Sends one job per image through the event-bus intake and joins the replies, in the order of
   * {@code refs}. The consumer publishes the image's {@code queued} event and starts its job.
   */
  private Future<List<ImageOutcome>> runJobs(Map<String, ImageRef> refs,
      Function<String, Future<ImageOutcome>> start) {
    return JobIntake.register(vertx, job -> {
      String service = job.getString("service");
      if (!refs.containsKey(service)) {
        return Future.failedFuture(new IllegalArgumentException("no image '" + service + "' in this run"));
      }
      vertx.eventBus().publish(EVENTS, JobEvents.queued(service, refs.get(service).toString()));
      return start.apply(service);
    }).compose(intake -> {
      List<String> names = List.copyOf(refs.keySet());
      List<Future<ImageOutcome>> jobs = names.stream()
          .map(s -> intake.submit(s, refs.get(s).toString())).toList();
      return Future.join(jobs).<List<ImageOutcome>>transform(done -> {
        List<ImageOutcome> outcomes = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
          Future<ImageOutcome> f = jobs.get(i);
          outcomes.add(f.succeeded() ? f.result() : ImageOutcome.failed(names.get(i),
              refs.get(names.get(i)).toString(), null,
              "job intake: " + dev.refit.error.Causes.describe(f.cause()), 0));
        }
        return Future.succeededFuture(outcomes);
      }).eventually(intake::close);
    });
  }

  private ImageJob.Context context(LocalRegistry local, UpstreamFetcher fetcher,
      List<FetchedPatch> fetched, Path runDir) {
    RefitConfig config = settings.config();
    String os = settings.deploy().osVersion();
    UpstreamConfig upstream = config.upstream();
    RegistryImageAccess access = new RegistryImageAccess(vertx, local.client(),
        service -> new RegistryImageAccess.Location(
            upstream.localRepositoryFor(os, service), upstream.tag()),
        new LayerCache(runDir.resolve("layers")), runDir.resolve("pull"), TIMEOUT);
    Map<String, FetchedPatch> bySha = fetched.stream().collect(Collectors.toMap(
        p -> p.sha256().toString(), Function.identity(), (a, b) -> a));
    PatchOptions patchOptions = PatchOptions.defaults().withFuzz(config.fuzz())
        .withDropPaths(config.dropPaths());
    ProjectImageMapper mapper = new ProjectImageMapper(config);
    // Only the patches whose project maps to this image, so a strict policy does not see
    // "matches no image" for patches that belong to other images.
    Function<String, List<FetchedPatch>> mapped = service -> fetched.stream()
        .filter(p -> mapper.map(p.spec().project(), List.of(service)).images().contains(service))
        .toList();
    Function<String, Plan> planner = service -> {
      List<FetchedPatch> mine = mapped.apply(service);
      return mine.isEmpty() ? new Plan(Plan.FORMAT_VERSION, List.of(), List.of(), List.of())
          : new Planner(config).plan(new dev.refit.patches.source.FetchResult(mine, List.of()),
              List.of(service), access);
    };
    return new ImageJob.Context(vertx, work, local.servedAddress(), s -> upstream.localRepositoryFor(os, s),
        config.tag().name(),
        planner, new PatchStage(access, bySha, patchOptions), rebuilder(local, runDir), runDir,
        options.noFetch(), mapped, InputKeys.load(options.cacheDir()), fingerprint(),
        local.client());
  }

  /** What, besides the image and its patches, decides a build: settings, builder, version. */
  private String fingerprint() {
    return String.join("\n", settings.config().toString(), settings.deploy().osVersion(),
        options.builder(), String.valueOf(options.version()));
  }

  /** Under the strict policy a patch matching no image at all is a configuration error. */
  private Future<Void> checkMatched(List<FetchedPatch> fetched, List<String> names) {
    ProjectImageMapper mapper = new ProjectImageMapper(settings.config());
    return blocking(() -> {
      for (FetchedPatch p : fetched) {
        mapper.checkMatched(p.spec(), mapper.map(p.spec().project(), names), names.size());
      }
      return null;
    });
  }

  private Rebuilder rebuilder(LocalRegistry local, Path runDir) {
    if ("docker".equals(options.builder())) {
      return DockerRebuilder.of(DockerEngine.fromEnvironment(), local.client(), options.version(),
          runDir.resolve("docker"), (service, phase, line) -> vertx.eventBus().publish(EVENTS,
              JobEvents.progress(service, phase.name().toLowerCase(java.util.Locale.ROOT), line, null)));
    }
    return DaemonlessRebuilder.of(local.client(), options.cacheDir().resolve("jib"), options.version())
        .withTimeout(TIMEOUT);
  }

  /** Rewrites the image lists, then writes the report; both blocking, on the worker pool. */
  private Future<PrepareReport> finish(LocalRegistry local, List<ImageOutcome> outcomes) {
    return blocking(() -> {
      List<String> rewritten = new ArrayList<>();
      if (!options.envFiles().isEmpty()) {
        ImageMapping mapping = mapping(local.address(), outcomes);
        for (RewriteResult r : ImageListRewriter.rewriteAll(options.envFiles(), mapping)) {
          rewritten.add(r.summary());
        }
      }
      PrepareReport report = new PrepareReport(local.address(), outcomes, rewritten);
      report.writeTo(options.cacheDir());
      vertx.eventBus().publish(EVENTS, JobEvents.done(report.exitCode()));
      return report;
    });
  }

  /** Only images pushed now, or found with the same build key, point at the apex tag. */
  private ImageMapping mapping(String localAddress, List<ImageOutcome> outcomes) {
    String os = settings.deploy().osVersion();
    UpstreamConfig upstream = settings.config().upstream();
    ImageMapping mapping = ImageMapping.of(localAddress).withApexTag(settings.config().tag().name());
    for (ImageOutcome o : outcomes) {
      if ((o.action() == Action.PATCHED || o.action() == Action.UNCHANGED) && o.apexDigest() != null) {
        mapping = mapping.withApexImage(upstream.localRepositoryFor(os, o.service()),
            dev.refit.registry.oci.Digest.parse(o.apexDigest()));
      } else if (o.upstreamDigest() != null) {
        // A layout upstream has no registry name: its mirror is known by the local repository.
        String mirrored = o.upstream().startsWith("oci:") ? localAddress + "/"
            + upstream.localRepositoryFor(os, o.service()) + ":" + upstream.tag() : o.upstream();
        mapping = mapping.withMirrorDigest(mirrored, dev.refit.registry.oci.Digest.parse(o.upstreamDigest()));
      }
    }
    return mapping;
  }

  private <T> Future<T> blocking(Callable<T> call) {
    return work.submit(call);
  }
}
