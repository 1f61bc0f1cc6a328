package dev.refit.pipeline.fetch;

import dev.refit.registry.client.RegistryClient;
import dev.refit.registry.copy.CopyOptions;
import dev.refit.registry.copy.CopyResult;
import dev.refit.registry.copy.ImageCopier;
import dev.refit.registry.copy.RegistrySink;
import dev.refit.registry.copy.RegistrySource;
import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.ImageRef;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Mirrors upstream images into the local registry under the same repository path and tag,
 * digests preserved, and keeps the {@link CacheIndex} up to date. Thread-safe; every method
 * returns a Future at once, and index writes run on the {@code refit-fetch-io} worker pool.
 *
 * <p>Online, each image costs one upstream HEAD when unchanged (distribution-spec "Checking if
 * content exists in the registry"); a changed image is copied by digest and {@link ImageCopier}
 * moves only the blobs the local registry lacks. Offline ({@code noFetch}) no upstream client is
 * even asked for: answers come from the index and the local registry, or a
 * {@link CacheMissException} names every reference that is not cached.
 */
public final class UpstreamFetcher {
  private final CacheIndex index;
  private final RegistryClient local;
  private final Function<String, RegistryClient> upstreams;
  private final boolean noFetch;
  private final ImageCopier copier;
  private final WorkerExecutor io;
  private final Clock clock;

  /**
   * @param upstreams the client for an upstream registry host (e.g. {@link UpstreamClients#client});
   *     never called when {@code noFetch}
   * @param noFetch strict offline: no upstream connection at all
   */
  public UpstreamFetcher(Vertx vertx, CacheIndex index, RegistryClient local,
      Function<String, RegistryClient> upstreams, boolean noFetch) {
    this(vertx, index, local, upstreams, noFetch, CopyOptions.defaults(), Clock.systemUTC());
  }

  public UpstreamFetcher(Vertx vertx, CacheIndex index, RegistryClient local,
      Function<String, RegistryClient> upstreams, boolean noFetch, CopyOptions copyOptions, Clock clock) {
    this.index = index;
    this.local = local;
    this.upstreams = upstreams;
    this.noFetch = noFetch;
    this.copier = ImageCopier.of(copyOptions);
    this.io = vertx.createSharedWorkerExecutor("refit-fetch-io", 2);
    this.clock = clock;
  }

  /** Fetches (or, offline, checks) one image; offline a miss fails with {@link CacheMissException}. */
  public Future<FetchResult> fetch(ImageRef upstream) {
    if (noFetch) {
      return cached(upstream).map(found -> found.orElseThrow(
          () -> new CacheMissException(List.of(upstream.toString()))));
    }
    return online(upstream);
  }

  /**
   * Fetches every image, results in the given order. Offline, all are checked first and one
   * {@link CacheMissException} lists every missing reference.
   */
  public Future<List<FetchResult>> fetchAll(List<ImageRef> images) {
    return fetchAll(images, List.of());
  }

  /**
   * As {@link #fetchAll(List)}; offline, {@code missingPatches} (found missing elsewhere, e.g. by
   * the patch fetcher) join the missing references in the one {@link CacheMissException}.
   */
  public Future<List<FetchResult>> fetchAll(List<ImageRef> images, List<String> missingPatches) {
    if (!noFetch) {
      List<Future<FetchResult>> all = images.stream().map(this::online).toList();
      return Future.all(all).map(done -> all.stream().map(Future::result).toList());
    }
    List<Future<Optional<FetchResult>>> checks = images.stream().map(this::cached).toList();
    return Future.all(checks).map(done -> {
      List<FetchResult> found = new ArrayList<>();
      List<String> missing = new ArrayList<>();
      for (int i = 0; i < images.size(); i++) {
        Optional<FetchResult> r = checks.get(i).result();
        if (r.isPresent()) {
          found.add(r.get());
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

  /** Offline answer: the index entry, confirmed by a HEAD on the local registry only. */
  private Future<Optional<FetchResult>> cached(ImageRef upstream) {
    String key = upstream.toString();
    Optional<CacheEntry> entry = index.get(key);
    if (entry.isEmpty()) {
      return Future.succeededFuture(Optional.empty());
    }
    CacheEntry e = entry.get();
    return local.headManifest(upstream.repository(), e.digest().toString())
        .map(present -> present.map(d -> new FetchResult(key, localName(upstream, e.digest()), e.digest(),
            e.mediaType() != null ? e.mediaType() : d.mediaType(), FetchAction.CACHED, null)));
  }

  private Future<FetchResult> online(ImageRef upstream) {
    String key = upstream.toString();
    String repo = upstream.repository();
    String target = targetReference(upstream);
    RegistryClient remote = upstreams.apply(upstream.registry());
    Optional<CacheEntry> before = index.get(key);
    return remote.headManifest(repo, upstream.tagOrDigest())
        .map(head -> head.orElseThrow(() -> new FetchException("upstream " + key
            + " does not exist (HEAD answered 404); check the image name and tag in the settings")))
        .compose(head -> local.headManifest(repo, target).compose(present -> {
          if (present.isPresent() && present.get().digest().equals(head.digest())) {
            return record(upstream, head, FetchAction.CACHED, null, before);
          }
          // Copy by digest, so what lands is exactly what the HEAD saw even if the tag moves meanwhile.
          return copier.copy(new RegistrySource(remote, repo), head.digest().toString(),
                  new RegistrySink(local, repo), target)
              .compose(copy -> {
                if (!copy.digest().equals(head.digest())) {
                  return Future.failedFuture(new FetchException("copying " + key + " produced "
                      + copy.digest() + " but upstream announced " + head.digest()));
                }
                FetchAction action = before.isPresent() && !before.get().digest().equals(head.digest())
                    ? FetchAction.UPDATED : FetchAction.FETCHED;
                return record(upstream, head, action, copy, before);
              });
        }))
        .recover(err -> Future.failedFuture(err instanceof FetchException ? err
            : new FetchException("fetching " + key + " failed: " + err.getMessage(), err)));
  }

  private Future<FetchResult> record(ImageRef upstream, Descriptor head, FetchAction action,
      CopyResult copy, Optional<CacheEntry> before) {
    String key = upstream.toString();
    FetchResult result = new FetchResult(key, localName(upstream, head.digest()), head.digest(),
        head.mediaType(), action, copy);
    if (action == FetchAction.CACHED && before.isPresent() && before.get().digest().equals(head.digest())) {
      return Future.succeededFuture(result);
    }
    index.put(new CacheEntry(key, head.digest(), head.mediaType(), null, null,
        upstream.repository() + localSuffix(upstream), clock.instant()));
    return io.executeBlocking(() -> {
      index.save();
      return result;
    }, false);
  }

  private String localName(ImageRef upstream, Digest digest) {
    String tag = upstream.tag() == null ? "" : ":" + upstream.tag();
    return local.registry() + "/" + upstream.repository() + tag + "@" + digest;
  }

  private static String localSuffix(ImageRef upstream) {
    return upstream.tag() != null ? ":" + upstream.tag() : "@" + upstream.digest();
  }

  /** The tag when the upstream has one (kept as is), else the digest. */
  private static String targetReference(ImageRef upstream) {
    return upstream.tag() != null ? upstream.tag() : upstream.digest().toString();
  }
}
