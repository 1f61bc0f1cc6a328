package dev.refit.pipeline.bundle;

import dev.refit.pipeline.fetch.CacheEntry;
import dev.refit.pipeline.fetch.CacheIndex;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.ImageRef;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Records the images a bundle loaded into the cache's embedded registry in the fetch index
 * ({@code <cache>/fetch-index.json}) as if {@code refit prepare} had fetched them from their
 * upstream, so a disconnected site's {@code prepare --no-fetch} finds them. Only an image stored
 * where prepare keeps an upstream's copy (the upstream path and tag, as {@code --keep-path}
 * names it) is recorded. Blocking.
 */
public final class LoadedAsFetched {
  private LoadedAsFetched() {}

  /** @return how many images were recorded */
  public static int record(Path cacheDir, BundleIndex index, Instant now) {
    CacheIndex cache = CacheIndex.loadFrom(cacheDir);
    int recorded = 0;
    for (BundleIndex.Image image : index.images()) {
      if (image.source() == null) {
        continue;
      }
      ImageRef upstream = ImageRef.parse(image.source());
      String reference = upstream.tag() != null ? upstream.tag() : String.valueOf(upstream.digest());
      if (upstream.repository().equals(image.repository()) && reference.equals(image.reference())) {
        cache.put(new CacheEntry(upstream.toString(), Digest.parse(image.digest()), image.mediaType(), null, null,
            image.repository() + (upstream.tag() != null ? ":" : "@") + reference, now));
        recorded++;
      }
    }
    if (recorded > 0) {
      cache.save();
    }
    return recorded;
  }
}
