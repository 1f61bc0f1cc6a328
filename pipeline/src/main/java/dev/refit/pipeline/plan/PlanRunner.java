package dev.refit.pipeline.plan;

import dev.refit.patches.image.RegistryImageAccess;
import dev.refit.patches.mapping.Plan;
import dev.refit.patches.mapping.Planner;
import dev.refit.patches.source.FetchResult;
import dev.refit.patches.source.PatchCacheMissException;
import dev.refit.pipeline.fetch.CacheIndex;
import dev.refit.pipeline.fetch.CacheMissException;
import dev.refit.pipeline.fetch.UpstreamAccess;
import dev.refit.pipeline.fetch.UpstreamForms;
import dev.refit.pipeline.local.LocalImageReads;
import dev.refit.pipeline.local.LocalRegistry;
import dev.refit.registry.client.Await;
import dev.refit.registry.client.BlockingRegistry;
import dev.refit.registry.io.FileTrees;
import dev.refit.registry.oci.ImageRef;
import dev.refit.settings.LoadedSettings;
import dev.refit.settings.config.RefitConfig;
import dev.refit.settings.config.UpstreamConfig;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Works out what {@code refit plan} prints: fetches the patches, finds the images the way
 * {@code prepare} does ({@link UpstreamAccess#discovery}), and maps each patch to the images and
 * paths it changes. An image is read from its local mirror copy when there is one, else from
 * upstream (which, offline, is an exit-3 miss). Blocking: run it on a plain or worker thread,
 * never on an event loop.
 */
public final class PlanRunner {
  private static final Duration TIMEOUT = Duration.ofMinutes(5);

  private final Vertx vertx;
  private final Path cacheDir;
  private final UpstreamAccess access;

  public PlanRunner(Vertx vertx, Path cacheDir, UpstreamAccess access) {
    this.vertx = vertx;
    this.cacheDir = cacheDir;
    this.access = access;
  }

  /** Plans {@code settings} against the images that {@code registry} holds or upstream serves. */
  public Plan plan(LoadedSettings settings, LocalRegistry registry) {
    Path work = workDir();
    try {
      return plan(UpstreamForms.normalized(settings), registry, work);
    } finally {
      deleteTree(work);
    }
  }

  private Plan plan(LoadedSettings settings, LocalRegistry registry, Path work) {
    RefitConfig config = settings.config();
    String os = settings.deploy().osVersion();
    UpstreamConfig upstream = config.upstream();
    // Fetched patches stay in the cache: the plan names their files, and prepare reuses them.
    FetchResult fetched = null;
    List<String> missingPatches = List.of();
    try {
      fetched = access.patches(config).fetchAll(settings.patches().all());
    } catch (PatchCacheMissException miss) {
      missingPatches = miss.missing();
    }
    List<String> images;
    try {
      images = access.discovery(CacheIndex.loadFrom(cacheDir)).services(upstream, os, config.images());
    } catch (CacheMissException miss) {
      throw new CacheMissException(miss.images(), missingPatches);
    }
    if (!missingPatches.isEmpty()) {
      throw new CacheMissException(List.of(), missingPatches);
    }
    BlockingRegistry local = new BlockingRegistry(registry.client(), TIMEOUT);
    RegistryImageAccess reads = LocalImageReads.access(
        service -> locate(registry, local, upstream, os, service), cacheDir, work);
    return new Planner(config).plan(fetched, images, reads);
  }

  /** The local mirror copy when the local registry has it, else the upstream image itself. */
  private RegistryImageAccess.Location locate(LocalRegistry registry, BlockingRegistry local,
      UpstreamConfig upstream, String os, String service) {
    String repository = upstream.localRepositoryFor(os, service);
    if (upstream.kind() != UpstreamConfig.Kind.REGISTRY
        || local.head(repository, upstream.tag()).isPresent()) {
      return LocalImageReads.location(registry, local, repository, upstream.tag());
    }
    ImageRef ref = UpstreamForms.imageRef(upstream, os, service);
    try {
      return new RegistryImageAccess.Location(
          new BlockingRegistry(access.upstreams().client(ref.registry()), TIMEOUT),
          ref.repository(), ref.tagOrDigest());
    } catch (CacheMissException offline) {
      throw new CacheMissException(List.of(ref.toString()));
    }
  }

  /** Opens the local registry configured for this run, waiting for it to be ready. */
  public LocalRegistry openRegistry(RefitConfig config) {
    return Await.result(LocalRegistry.open(vertx, config.localRegistry(), cacheDir.resolve("registry")),
        TIMEOUT, "opening the local registry");
  }

  private static void deleteTree(Path root) {
    try {
      FileTrees.delete(root);
    } catch (IOException e) {
      // A leftover temp directory under the cache is harmless; the plan itself succeeded.
    }
  }

  private Path workDir() {
    try {
      Files.createDirectories(cacheDir);
      return Files.createTempDirectory(cacheDir, "plan-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a work directory under " + cacheDir, e);
    }
  }
}
