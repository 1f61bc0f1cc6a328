package dev.refit.pipeline.prepare;

import dev.refit.patches.engine.PatchOptions;
import dev.refit.patches.image.PathRequest;
import dev.refit.patches.image.RegistryImageAccess;
import dev.refit.pipeline.fetch.FetchResult;
import dev.refit.pipeline.fetch.ImageFetcher;
import dev.refit.pipeline.local.LocalImageReads;
import dev.refit.pipeline.local.LocalRegistry;
import dev.refit.pipeline.progress.JobEvents;
import dev.refit.pipeline.rebuild.BaseFiles;
import dev.refit.pipeline.rebuild.DaemonlessRebuilder;
import dev.refit.pipeline.rebuild.JibRebuilder;
import dev.refit.pipeline.rebuild.Rebuilder;
import dev.refit.pipeline.rebuild.docker.DockerEngine;
import dev.refit.pipeline.rebuild.docker.DockerRebuilder;
import dev.refit.registry.client.BlockingRegistry;
import dev.refit.registry.oci.ImageRef;
import dev.refit.settings.LoadedSettings;
import dev.refit.settings.config.RefitConfig;
import dev.refit.settings.config.UpstreamConfig;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Wires one image's recipe ({@link ImageJob}) with what each stage uses, for a local run and
 * for a cluster worker alike: the one place a job is put together. Thread-safe.
 */
final class JobFactory {
  private final Vertx vertx;
  private final LoadedSettings settings;
  private final PrepareOptions options;

  /** @param settings already normalized ({@code UpstreamForms.normalized}) */
  JobFactory(Vertx vertx, LoadedSettings settings, PrepareOptions options) {
    this.vertx = vertx;
    this.settings = settings;
    this.options = options;
  }

  /** One image's recipe, its stages wired with what each of them uses. */
  ImageJob job(LocalRegistry local, Path runDir, WorkerExecutor work, PatchMapping mapping,
      RegistryImageAccess images, ImageFetcher fetcher, Map<ImageRef, FetchResult> settled) {
    RefitConfig config = settings.config();
    String os = settings.deploy().osVersion();
    ApexTarget apex = new ApexTarget(local.servedAddress(),
        s -> config.upstream().localRepositoryFor(os, s), config.tag().name());
    InputKeys keys = InputKeys.load(options.cacheDir());
    PatchOptions patchOptions = PatchOptions.defaults().withFuzz(config.fuzz())
        .withDropPaths(config.dropPaths());
    Rebuilder rebuilder = rebuilder(local, runDir, baseFiles(local, images));
    return new ImageJob(
        new FetchStage(fetcher, settled),
        new PlanStage(mapping, keys, fingerprint(), local.client(), apex, work),
        new PatchStage(mapping, patchOptions, runDir.resolve("work"), options.cacheDir(), work),
        new RebuildStage(rebuilder, apex, work),
        new PublishStage(keys, apex, work),
        rebuilder.name(), vertx.eventBus());
  }

  /** The images' files as the planner and the patch stage read them: their local copies. */
  RegistryImageAccess imageAccess(LocalRegistry local, Path runDir) {
    UpstreamConfig upstream = settings.config().upstream();
    String os = settings.deploy().osVersion();
    BlockingRegistry registry = new BlockingRegistry(local.client(), PreparePipeline.REQUEST_TIMEOUT);
    return LocalImageReads.access(service -> LocalImageReads.location(local, registry,
        upstream.localRepositoryFor(os, service), upstream.tag()), options.cacheDir(), runDir);
  }

  private String fingerprint() {
    return InputKeys.fingerprint(settings.config(), settings.deploy().osVersion(), options.builder(),
        String.valueOf(options.version()));
  }

  /**
   * The rebuild base's files, read like the images themselves (layer indexes, the embedded store
   * in place), so parent directories in the delta layer keep the base's owner and mode.
   */
  private static BaseFiles baseFiles(LocalRegistry local, RegistryImageAccess images) {
    BlockingRegistry registry = new BlockingRegistry(local.client(), PreparePipeline.REQUEST_TIMEOUT);
    return (request, paths) -> images.files(LocalImageReads.location(local, registry,
        request.base().repository(), request.base().digest().toString()), request.service(),
        PathRequest.of(paths));
  }

  private Rebuilder rebuilder(LocalRegistry local, Path runDir, BaseFiles baseFiles) {
    if ("docker".equals(options.builder())) {
      return DockerRebuilder.of(DockerEngine.fromEnvironment(), local.client(), options.version(),
          runDir.resolve("docker"), (service, phase, line) -> vertx.eventBus().publish(
              PreparePipeline.EVENTS,
              JobEvents.progress(service, phase.name().toLowerCase(Locale.ROOT), line, null)));
    }
    if (JibRebuilder.NAME.equals(options.builder())) {
      return JibRebuilder.of(local.client(), options.cacheDir().resolve("jib"), options.version())
          .withTimeout(PreparePipeline.REQUEST_TIMEOUT).withBaseFiles(baseFiles);
    }
    return DaemonlessRebuilder.of(local.client(), runDir.resolve("append"), options.version())
        .withTimeout(PreparePipeline.REQUEST_TIMEOUT).withBaseFiles(baseFiles)
        .withLayerMemo(options.cacheDir());
  }
}
