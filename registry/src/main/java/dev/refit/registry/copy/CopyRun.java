package dev.refit.registry.copy;

import dev.refit.error.Causes;
import dev.refit.registry.client.RegistryResponseException;
import dev.refit.registry.oci.Descriptor;
import dev.refit.registry.oci.Digest;
import dev.refit.registry.oci.DigestMismatchException;
import dev.refit.registry.oci.Index;
import dev.refit.registry.oci.Manifest;
import dev.refit.registry.oci.ManifestContent;
import dev.refit.registry.oci.MediaType;
import dev.refit.registry.oci.RawManifest;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The state of one copy: which blobs are done or in flight, and the counters. Thread-safe.
 *
 * <p>Blobs are deduplicated by digest with a {@code Map<Digest, Future>} (as jib does), so a
 * layer shared by several platforms of an index is transferred once; the copier's ledger
 * ({@code landed}) does the same across the copies of one run. A copy that finds a blob claimed
 * by another waits for it outside its own parallelism limit (so two copies waiting on each
 * other's queued blobs cannot deadlock), then mounts it from where it landed, or transfers it
 * itself if that copy failed or the sink cannot mount.
 */
final class CopyRun {
  static final int STREAM_ATTEMPTS = 3;

  private final ImageSource source;
  private final ImageSink sink;
  private final CopyOptions options;
  private final AsyncLimiter limiter;
  private final Map<Digest, Future<Void>> blobs = new ConcurrentHashMap<>();
  private final Map<Digest, Future<Optional<Origin>>> landed;
  private final Map<Digest, Future<Void>> manifests = new ConcurrentHashMap<>();
  private final AtomicInteger manifestCount = new AtomicInteger();
  private final AtomicInteger copied = new AtomicInteger();
  private final AtomicInteger skipped = new AtomicInteger();
  private final AtomicInteger mounted = new AtomicInteger();
  private final AtomicLong bytes = new AtomicLong();

  CopyRun(ImageSource source, ImageSink sink, CopyOptions options,
      Map<Digest, Future<Optional<Origin>>> landed, AsyncLimiter limiter) {
    this.landed = landed;
    this.source = source;
    this.sink = sink;
    this.options = options;
    this.limiter = limiter;
  }

  Future<CopyResult> copy(String sourceRef, String targetRef) {
    return source.manifest(sourceRef)
        .compose(root -> selectPlatform(root))
        .compose(root -> copyTree(root, targetRef).map(root))
        .map(root -> new CopyResult(root.digest(), root.mediaType(), manifestCount.get(), copied.get(),
            skipped.get(), mounted.get(), bytes.get()));
  }

  /**
   * With a platform option, an index at the root is replaced by its matching child; with a
   * platform subset, by an index of the matching children.
   */
  private Future<RawManifest> selectPlatform(RawManifest root) {
    if ((options.platform() == null && options.platforms().isEmpty()) || !(parse(root) instanceof Index index)) {
      return Future.succeededFuture(root);
    }
    if (options.platform() == null) {
      try {
        return Future.succeededFuture(PlatformSubset.narrow(root, index, options.platforms()));
      } catch (ImageCopyException e) {
        return Future.failedFuture(e);
      }
    }
    Optional<Descriptor> match = index.forPlatform(options.platform());
    if (match.isEmpty()) {
      return Future.failedFuture(new ImageCopyException("no image for platform " + options.platform()
          + " in index " + root.digest() + "; it has " + index.manifests().stream()
              .map(d -> String.valueOf(d.platform())).toList()));
    }
    return fetchChild(match.get());
  }

  private Future<Void> copyTree(RawManifest manifest, String reference) {
    ManifestContent content = parse(manifest);
    List<Future<Void>> parts;
    if (content instanceof Index index) {
      parts = index.manifests().stream().map(this::copyChild).toList();
    } else {
      parts = ((Manifest) content).references().stream().filter(d -> !isForeign(d)).map(this::copyBlob).toList();
    }
    return Future.all(parts)
        .compose(v -> sink.putManifest(reference, manifest))
        .onSuccess(v -> manifestCount.incrementAndGet());
  }

  /** A child of an index: a manifest (copied with its tree, by digest) or, rarely, a plain blob. */
  private Future<Void> copyChild(Descriptor child) {
    if (child.mediaType() != null && !MediaType.isManifest(child.mediaType())) {
      return copyBlob(child);
    }
    return manifests.computeIfAbsent(child.digest(), d -> fetchChild(child)
        .compose(raw -> copyTree(raw, raw.digest().toString())));
  }

  private Future<RawManifest> fetchChild(Descriptor child) {
    return source.manifest(child.digest().toString()).compose(raw -> {
      if (!raw.digest().equals(child.digest()) || raw.size() != child.size()) {
        return Future.failedFuture(new ImageCopyException("manifest " + child.digest() + " ("
            + child.size() + " bytes) came back as " + raw.digest() + " (" + raw.size() + " bytes)"));
      }
      return Future.succeededFuture(raw);
    });
  }

  private Future<Void> copyBlob(Descriptor blob) {
    return blobs.computeIfAbsent(blob.digest(), d -> {
      Promise<Optional<Origin>> mine = Promise.promise();
      Future<Optional<Origin>> claimed = landed.putIfAbsent(d, mine.future());
      if (claimed == null) {
        Future<Void> sent = limiter.run(() -> transfer(blob));
        sent.onComplete(ar -> mine.complete(ar.succeeded() ? sink.origin() : Optional.empty()));
        return sent;
      }
      return claimed.transform(ar -> limiter.run(() -> afterOtherCopy(blob,
          ar.succeeded() ? ar.result() : Optional.empty())));
    });
  }

  /** Another copy of the run sent {@code blob} to {@code where} (or failed to): mount, else send. */
  private Future<Void> afterOtherCopy(Descriptor blob, Optional<Origin> where) {
    if (where.isEmpty()) {
      return transfer(blob);
    }
    return sink.hasBlob(blob).compose(has -> has ? Future.succeededFuture(skipped.incrementAndGet() > 0)
            : sink.mount(blob, where.get()).map(done -> {
              if (done) {
                mounted.incrementAndGet();
              }
              return done;
            }))
        .recover(e -> Future.succeededFuture(false))
        .compose(done -> done ? Future.<Void>succeededFuture() : transfer(blob));
  }

  private Future<Void> transfer(Descriptor blob) {
    return sink.hasBlob(blob).compose(has -> {
      if (has) {
        skipped.incrementAndGet();
        return Future.succeededFuture();
      }
      return sink.mount(blob, source.origin().orElse(null)).compose(done -> {
        if (done) {
          mounted.incrementAndGet();
          return Future.<Void>succeededFuture();
        }
        return send(blob, 1)
            .onSuccess(v -> {
              copied.incrementAndGet();
              bytes.addAndGet(blob.size());
            });
      });
    }).recover(e -> Future.failedFuture(new ImageCopyException(
        "blob " + blob.digest() + " (" + blob.size() + " bytes): " + Causes.describe(e), e)));
  }

  /**
   * A streamed blob cannot be replayed by the transport's own retries, so a broken stream is
   * re-opened from the source here, a bounded number of times. So is one whose bytes did not
   * match the digest: they were damaged on the way, and nothing of them was stored. File
   * payloads were already retried below; a file that does not match, and 4xx, are final.
   */
  private Future<Void> send(Descriptor blob, int attempt) {
    return source.blob(blob).compose(payload -> sink.putBlob(blob, payload)
        .recover(e -> payload instanceof BlobPayload.FromStream && attempt < STREAM_ATTEMPTS
                && (isTransient(e) || isCorrupt(e))
            ? send(blob, attempt + 1)
            : Future.failedFuture(e)));
  }

  private static boolean isCorrupt(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof DigestMismatchException) {
        return true;
      }
    }
    return false;
  }

  /**
   * Foreign (non-distributable) layers are fetched by the engine from their {@code urls}, and
   * registries accept manifests naming them without holding them; docker and skopeo do not copy
   * them either (image-spec layer.md "Non-distributable layers").
   */
  private static boolean isForeign(Descriptor d) {
    return MediaType.DOCKER_FOREIGN_LAYER_GZIP.equals(d.mediaType())
        || (d.mediaType() != null && d.mediaType().contains(".nondistributable."));
  }

  private static boolean isTransient(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof DigestMismatchException
          || (t instanceof RegistryResponseException r && r.status() >= 400 && r.status() < 500
              && r.status() != 401)) { // 401: a token lapsed during a one-shot upload; the retry re-authenticates
        return false;
      }
    }
    return true;
  }

  private static ManifestContent parse(RawManifest raw) {
    return ManifestContent.parse(raw.bytes(), raw.mediaType());
  }
}
