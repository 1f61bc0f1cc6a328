package dev.refit.pipeline.local;

import dev.refit.patches.image.LayerCache;
import dev.refit.patches.image.LayerIndexes;
import dev.refit.patches.image.RegistryImageAccess;
import dev.refit.registry.client.BlockingRegistry;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * How {@code plan} and {@code prepare} read image files, the same way: layer indexes kept under
 * {@code <cache>/layer-index} across runs, extracted contents and pulled blobs under the run's
 * directory, and the local registry's blobs read in place when it is the embedded store.
 * Stateless; thread-safe.
 */
public final class LocalImageReads {
  private LocalImageReads() {}

  /** The local registry's copy of an image; its blobs are read in place when refit serves it. */
  public static RegistryImageAccess.Location location(LocalRegistry local,
      BlockingRegistry registry, String repository, String reference) {
    return new RegistryImageAccess.Location(registry, repository, reference, local.store());
  }

  /** One run's image reads. */
  public static RegistryImageAccess access(Function<String, RegistryImageAccess.Location> locate,
      Path cacheDir, Path runDir) {
    return new RegistryImageAccess(locate,
        new LayerCache(runDir.resolve("layers"), LayerIndexes.in(cacheDir)), runDir.resolve("pull"));
  }
}
