package dev.refit.pipeline.plan;

import dev.refit.patches.image.ClientCalls;
import dev.refit.patches.image.LayerCache;
import dev.refit.patches.image.RegistryImageAccess;
import dev.refit.patches.mapping.ImageCatalog;
import dev.refit.patches.mapping.Plan;
import dev.refit.patches.mapping.Planner;
import dev.refit.patches.source.FetchResult;
import dev.refit.patches.source.GerritClient;
import dev.refit.patches.source.PatchFetcher;
import dev.refit.pipeline.local.LocalRegistry;
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
 * Works out what {@code refit plan} prints: fetches the patches, lists the images in the local
 * registry, and maps each patch to the images and paths it changes. Blocking: run it on a plain
 * or worker thread, never on an event loop.
 */
public final class PlanRunner {
  private static final Duration TIMEOUT = Duration.ofMinutes(5);

  private final Vertx vertx;
  private final Path cacheDir;
  private final boolean noFetch;

  public PlanRunner(Vertx vertx, Path cacheDir) {
    this(vertx, cacheDir, false);
  }

  /** @param noFetch strict offline: Gerrit patches come from the patch cache only */
  public PlanRunner(Vertx vertx, Path cacheDir, boolean noFetch) {
    this.vertx = vertx;
    this.cacheDir = cacheDir;
    this.noFetch = noFetch;
  }

  /** Plans {@code settings} against the images that {@code registry} holds. */
  public Plan plan(LoadedSettings settings, LocalRegistry registry) {
    Path work = workDir();
    try {
      return plan(settings, registry, work);
    } finally {
      deleteTree(work);
    }
  }

  private Plan plan(LoadedSettings settings, LocalRegistry registry, Path work) {
    RefitConfig config = settings.config();
    String osVersion = settings.deploy().osVersion();
    UpstreamConfig upstream = config.upstream();
    // Fetched patches stay in the cache: the plan names their files, and prepare reuses them.
    PatchFetcher patches = noFetch
        ? PatchFetcher.offline(cacheDir.resolve("patches"), config.maxPatchBytes())
        : new PatchFetcher(GerritClient.of(config.gerritUrl()), cacheDir.resolve("patches"),
            config.maxPatchBytes());
    FetchResult fetched = patches.fetchAll(settings.patches().all());

    List<String> images = config.images().discover()
        ? ImageCatalog.discover(vertx, registry.client(), upstream, osVersion, config.images(), TIMEOUT)
        : ImageCatalog.configured(config.images());

    RegistryImageAccess access = new RegistryImageAccess(vertx, registry.client(),
        service -> new RegistryImageAccess.Location(
            upstream.localRepositoryFor(osVersion, service), upstream.tag()),
        new LayerCache(work.resolve("layers")), work.resolve("pull"), TIMEOUT);
    return new Planner(config).plan(fetched, images, access);
  }

  /** Opens the local registry configured for this run, waiting for it to be ready. */
  public LocalRegistry openRegistry(RefitConfig config) {
    return ClientCalls.await(vertx,
        () -> LocalRegistry.open(vertx, config.localRegistry(), cacheDir.resolve("registry")),
        TIMEOUT, "open the local registry");
  }

  private static void deleteTree(Path root) {
    try (var paths = Files.walk(root)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
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
