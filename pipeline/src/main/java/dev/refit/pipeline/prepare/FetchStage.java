package dev.refit.pipeline.prepare;

import dev.refit.pipeline.fetch.FetchResult;
import dev.refit.pipeline.fetch.ImageFetcher;
import dev.refit.registry.oci.ImageRef;
import io.vertx.core.Future;
import java.util.Map;

/**
 * Fetch: the image's copy in the local registry, taken from what was settled before the jobs
 * started (offline, every image) or fetched now. Thread-safe.
 */
record FetchStage(ImageFetcher fetcher, Map<ImageRef, FetchResult> settled)
    implements Stage<ImageTask, FetchStage.Fetched> {
  FetchStage {
    settled = Map.copyOf(settled);
  }

  /** An image whose upstream copy is in the local registry. */
  record Fetched(ImageTask task, FetchResult result) {
    String service() {
      return task.service();
    }
  }

  @Override
  public Future<Fetched> apply(ImageTask task) {
    FetchResult known = settled.get(task.upstream());
    return (known != null ? Future.succeededFuture(known) : fetcher.fetch(task.upstream()))
        .map(result -> new Fetched(task, result));
  }
}
