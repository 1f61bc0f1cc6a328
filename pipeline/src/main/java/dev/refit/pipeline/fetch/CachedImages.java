package dev.refit.pipeline.fetch;

import dev.refit.registry.client.RegistryClient;
import dev.refit.registry.oci.ImageRef;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The offline {@link ImageFetcher}: answers come from the {@link CacheIndex}, confirmed by a HEAD
 * on the local registry only; it holds no upstream client, so it cannot connect to one. A miss
 * fails with {@link CacheMissException} (exit 3). Thread-safe.
 */
public final class CachedImages implements ImageFetcher {
  private final CacheIndex index;
  private final RegistryClient local;

  public CachedImages(CacheIndex index, RegistryClient local) {
    this.index = index;
    this.local = local;
  }

  @Override
  public Future<Map<ImageRef, FetchResult>> settle(List<ImageRef> images, List<String> missingPatches) {
    List<Future<Optional<FetchResult>>> checks = images.stream().map(this::lookup).toList();
    return Future.all(checks).map(done -> {
      Map<ImageRef, FetchResult> found = new LinkedHashMap<>();
      List<String> missing = new ArrayList<>();
      for (int i = 0; i < images.size(); i++) {
        Optional<FetchResult> r = checks.get(i).result();
        if (r.isPresent()) {
          found.put(images.get(i), r.get());
        } else {
          missing.add(images.get(i).toString());
        }
      }
      if (!missing.isEmpty() || !missingPatches.isEmpty()) {
        throw new CacheMissException(missing, missingPatches);
      }
      return found;
    });
  }

  @Override
  public Future<FetchResult> fetch(ImageRef image) {
    return lookup(image).map(found -> found.orElseThrow(
        () -> new CacheMissException(List.of(image.toString()))));
  }

  /** The index entry, when the local registry still holds its digest. */
  private Future<Optional<FetchResult>> lookup(ImageRef upstream) {
    String key = upstream.toString();
    Optional<CacheEntry> entry = index.get(key);
    if (entry.isEmpty()) {
      return Future.succeededFuture(Optional.empty());
    }
    CacheEntry e = entry.get();
    return local.headManifest(LocalCopy.repository(upstream), e.digest().toString())
        .map(present -> present.map(d -> new FetchResult(key,
            LocalCopy.name(local.registry(), upstream, e.digest()), e.digest(),
            e.mediaType() != null ? e.mediaType() : d.mediaType(), FetchAction.OFFLINE, null)));
  }
}
