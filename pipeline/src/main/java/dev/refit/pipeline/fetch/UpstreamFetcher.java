package dev.refit.pipeline.fetch;

import dev.refit.registry.client.ManifestHead;
import dev.refit.registry.client.RegistryClient;
import dev.refit.registry.copy.CopyOptions;
import dev.refit.registry.copy.CopyResult;
import dev.refit.registry.copy.ImageCopier;
import dev.refit.registry.copy.LayoutSource;
import dev.refit.registry.copy.RegistrySink;
import dev.refit.registry.copy.RegistrySource;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.ImageRef;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Mirrors upstream images into the local registry under the same repository path and tag,
 * digests preserved, and keeps the {@link CacheIndex} up to date. Thread-safe; every method
 * returns a Future at once, and index writes run on the {@code refit-fetch-io} worker pool.
 *
 * <p>Online, each image costs one upstream HEAD when unchanged (distribution-spec "Checking if
 * content exists in the registry"); a changed image is copied by digest and {@link ImageCopier}
 * moves only the blobs the local registry lacks. The HEAD carries {@code If-None-Match} with the
 * recorded ETag, and the index keeps each answer's digest, ETag and Last-Modified (UTC). An OCI
 * layout image ({@code oci:DIR:REPOSITORY:TAG}, see {@link LayoutImage}) is compared by its
 * index.json digest instead of a HEAD and lands under REPOSITORY:TAG. This is the online
 * {@link ImageFetcher}; offline, {@link UpstreamAccess} hands out {@link CachedImages} instead.
 */
public final class UpstreamFetcher implements ImageFetcher {
  private final Vertx vertx;
  private final CacheIndex index;
  private final RegistryClient local;
  private final Function<String, RegistryClient> upstreams;
  private final ImageCopier copier;
  private final WorkerExecutor io;
  private final Clock clock;

  /** @param upstreams the client for an upstream registry host (e.g. {@link UpstreamClients#client}) */
  public UpstreamFetcher(Vertx vertx, CacheIndex index, RegistryClient local,
      Function<String, RegistryClient> upstreams) {
    this(vertx, index, local, upstreams, CopyOptions.defaults(), Clock.systemUTC());
  }

  public UpstreamFetcher(Vertx vertx, CacheIndex index, RegistryClient local,
      Function<String, RegistryClient> upstreams, CopyOptions copyOptions, Clock clock) {
    this.vertx = vertx;
    this.index = index;
    this.local = local;
    this.upstreams = upstreams;
    this.copier = ImageCopier.of(copyOptions);
    this.io = vertx.createSharedWorkerExecutor("refit-fetch-io", 2);
    this.clock = clock;
  }

  /** Online nothing is settled before the jobs start; each image is fetched in its own job. */
  @Override
  public Future<Map<ImageRef, FetchResult>> settle(List<ImageRef> images, List<String> missingPatches) {
    return Future.succeededFuture(Map.of());
  }

  /** One upstream HEAD when unchanged; a changed or new image is copied by digest. */
  @Override
  public Future<FetchResult> fetch(ImageRef upstream) {
    return online(upstream);
  }

  private Future<FetchResult> online(ImageRef upstream) {
    if (upstream.transport() == ImageRef.Transport.OCI) {
      return fromLayout(upstream);
    }
    String key = upstream.toString();
    String repo = upstream.repository();
    String target = LocalCopy.targetReference(upstream);
    RegistryClient remote = upstreams.apply(upstream.registry());
    Optional<CacheEntry> before = index.get(key);
    // RFC 9110 section 13.1.2: with the ETag of the last fetch, an unchanged manifest may answer
    // 304; the cached digest then stands (it is still confirmed present locally below).
    String etag = before.map(CacheEntry::etag).orElse(null);
    return remote.headManifest(repo, upstream.tagOrDigest(), etag)
        .map(found -> found.orElseThrow(() -> new FetchException("upstream " + key
            + " does not exist (HEAD answered 404); check the image name and tag in the settings")))
        .map(head -> head.notModified() ? Seen.notModified(before.orElseThrow(), head) : Seen.of(head))
        .compose(seen -> local.headManifest(repo, target).compose(present -> {
          if (present.isPresent() && present.get().digest().equals(seen.digest())) {
            return record(upstream, seen, FetchAction.CACHED, null, before);
          }
          // Copy by digest, so what lands is exactly what the HEAD saw even if the tag moves meanwhile.
          return copier.copy(new RegistrySource(remote, repo), seen.digest().toString(),
                  new RegistrySink(local, repo), target)
              .compose(copy -> {
                if (!copy.digest().equals(seen.digest())) {
                  return Future.failedFuture(new FetchException("copying " + key + " produced "
                      + copy.digest() + " but upstream announced " + seen.digest()));
                }
                FetchAction action = before.isPresent() && !before.get().digest().equals(seen.digest())
                    ? FetchAction.UPDATED : FetchAction.FETCHED;
                return record(upstream, seen.withMediaType(copy.mediaType()), action, copy, before);
              });
        }))
        .recover(err -> Future.failedFuture(err instanceof FetchException ? err
            : new FetchException("fetching " + key + " failed: " + dev.refit.error.Causes.describe(err), err)));
  }

  /**
   * An OCI layout upstream: the index.json entry's digest plays the HEAD's part, so an unchanged
   * layout image costs no copy and a changed digest is an update that copies only missing blobs.
   */
  private Future<FetchResult> fromLayout(ImageRef upstream) {
    String key = upstream.toString();
    LayoutImage image = LayoutImage.of(upstream);
    Optional<CacheEntry> before = index.get(key);
    return io.executeBlocking(image::find, false).compose(found -> {
      Seen seen = new Seen(found.descriptor().digest(), found.descriptor().mediaType(), null, null);
      return local.headManifest(image.repository(), image.tag()).compose(present -> {
        if (present.isPresent() && present.get().digest().equals(seen.digest())) {
          return record(upstream, seen, FetchAction.CACHED, null, before);
        }
        LayoutSource source = new LayoutSource(vertx, found.layout());
        return copier.copy(source, seen.digest().toString(), new RegistrySink(local, image.repository()),
                image.tag())
            .eventually(source::close)
            .compose(copy -> {
              FetchAction action = before.isPresent() && !before.get().digest().equals(seen.digest())
                  ? FetchAction.UPDATED : FetchAction.FETCHED;
              return record(upstream, seen.withMediaType(copy.mediaType()), action, copy, before);
            });
      });
    }).recover(err -> Future.failedFuture(err instanceof FetchException ? err
        : new FetchException("fetching " + key + " failed: " + dev.refit.error.Causes.describe(err), err)));
  }

  /** What the upstream said about a manifest: its digest and the validators to record. */
  private record Seen(Digest digest, String mediaType, String etag, Instant lastModified) {
    static Seen of(ManifestHead head) {
      return new Seen(head.digest(), head.mediaType(), head.etag(),
          head.lastModified() == null ? null : HttpDate.parse(head.lastModified()).orElse(null));
    }

    static Seen notModified(CacheEntry cached, ManifestHead head) {
      return new Seen(cached.digest(), cached.mediaType(), head.etag(), head.lastModified() == null
          ? cached.lastModified() : HttpDate.parse(head.lastModified()).orElse(cached.lastModified()));
    }

    Seen withMediaType(String fromCopy) {
      return mediaType != null || fromCopy == null ? this : new Seen(digest, fromCopy, etag, lastModified);
    }
  }

  private Future<FetchResult> record(ImageRef upstream, Seen seen, FetchAction action,
      CopyResult copy, Optional<CacheEntry> before) {
    String key = upstream.toString();
    FetchResult result = new FetchResult(key, LocalCopy.name(local.registry(), upstream, seen.digest()), seen.digest(),
        seen.mediaType(), action, copy);
    if (action == FetchAction.CACHED && before.isPresent() && before.get().digest().equals(seen.digest())
        && Objects.equals(before.get().etag(), seen.etag())
        && Objects.equals(before.get().lastModified(), seen.lastModified())) {
      return Future.succeededFuture(result);
    }
    index.put(new CacheEntry(key, seen.digest(), seen.mediaType(), seen.etag(), seen.lastModified(),
        LocalCopy.indexReference(upstream), clock.instant()));
    return io.executeBlocking(() -> {
      index.save();
      return result;
    }, false);
  }
}
