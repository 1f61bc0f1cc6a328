package dev.refit.pipeline.fetch;

import dev.refit.registry.oci.ImageRef;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;

/**
 * Brings upstream images into the local registry, or finds them there. {@link UpstreamAccess}
 * picks the implementation once: {@link UpstreamFetcher} online, {@link CachedImages} offline.
 * Thread-safe; every method returns a Future at once.
 */
public interface ImageFetcher {
  /**
   * What is settled before any image's job starts: offline every image is looked up at once, so
   * one {@link CacheMissException} names every missing reference and the {@code missingPatches}
   * found elsewhere; online nothing is settled early (an empty map, and no patch is missing).
   */
  Future<Map<ImageRef, FetchResult>> settle(List<ImageRef> images, List<String> missingPatches);

  /** One image: fetched or revalidated online, looked up offline. */
  Future<FetchResult> fetch(ImageRef image);

  /** Every image, results in the given order. */
  default Future<List<FetchResult>> fetchAll(List<ImageRef> images) {
    return settle(images, List.of()).compose(settled -> {
      List<Future<FetchResult>> all = images.stream()
          .map(i -> settled.containsKey(i) ? Future.succeededFuture(settled.get(i)) : fetch(i))
          .toList();
      return Future.all(all).map(done -> all.stream().map(Future::result).toList());
    });
  }
}
