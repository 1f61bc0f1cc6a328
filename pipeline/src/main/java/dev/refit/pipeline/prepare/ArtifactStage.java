package dev.refit.pipeline.prepare;

import dev.refit.error.Causes;
import dev.refit.error.RefitException;
import dev.refit.pipeline.fetch.ArtifactFetcher;
import dev.refit.pipeline.fetch.ArtifactRequest;
import dev.refit.pipeline.fetch.CacheMissException;
import dev.refit.pipeline.fetch.FetchException;
import dev.refit.settings.config.ArtifactConfig;
import io.vertx.core.Future;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Brings refit.yaml's file artifacts into the cache directory, once per run and before any
 * image's job starts; the {@link ArtifactFetcher} it is given decides whether that asks the
 * server (conditionally) or only looks on disk. Every artifact is tried; offline misses fail
 * together as one {@link CacheMissException} (so the run can name them with the missing images
 * and patches), any other failure fails the run and names the URL. Thread-safe; the downloads
 * run on the fetcher's worker pool.
 */
record ArtifactStage(ArtifactFetcher fetcher, Path cacheDir)
    implements Stage<List<ArtifactConfig>, List<ArtifactOutcome>> {

  @Override
  public Future<List<ArtifactOutcome>> apply(List<ArtifactConfig> artifacts) {
    List<Future<ArtifactOutcome>> all = artifacts.stream().map(this::fetch).toList();
    return Future.join(all).transform(done -> {
      List<String> missing = new ArrayList<>();
      List<Throwable> failed = new ArrayList<>();
      for (Future<ArtifactOutcome> f : all) {
        if (f.failed() && f.cause() instanceof CacheMissException miss) {
          missing.addAll(miss.images());
        } else if (f.failed()) {
          failed.add(f.cause());
        }
      }
      if (failed.size() == 1) {
        return Future.failedFuture(failed.get(0));
      }
      if (!failed.isEmpty()) {
        return Future.failedFuture(new FetchException(failed.size() + " artifact(s) failed: "
            + String.join("; ", failed.stream().map(Causes::describe).toList())));
      }
      if (!missing.isEmpty()) {
        return Future.failedFuture(new CacheMissException(missing));
      }
      return Future.succeededFuture(all.stream().map(Future::result).toList());
    });
  }

  private Future<ArtifactOutcome> fetch(ArtifactConfig artifact) {
    ArtifactRequest request = ArtifactRequest.of(artifact.url(), artifact.target(cacheDir));
    if (artifact.sha256() != null) {
      request = request.withChecksum(artifact.sha256());
    }
    return fetcher.fetch(request)
        .map(result -> ArtifactOutcome.of(artifact.dest().toString(), result))
        .recover(e -> Future.failedFuture(e instanceof RefitException ? e
            // A dropped connection or a body cut short: the temporary file was discarded.
            : new FetchException("artifact " + artifact.url() + " could not be downloaded ("
                + Causes.describe(e) + "); nothing was put in place at " + artifact.dest()
                + " (a file there before is kept); run again once the server answers in full", e)));
  }
}
