package dev.refit.registry.copy;

import dev.refit.error.Causes;
import dev.refit.registry.oci.Digest;
import io.vertx.core.Future;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Copies an image or an index with all its children from any {@link ImageSource} to any
 * {@link ImageSink}, keeping every digest: manifest bytes are copied exactly and blobs are
 * verified by the sink. Thread-safe; each copy has its own state.
 *
 * <p>Order follows what registries enforce (distribution-spec "Pushing Manifests": referenced
 * content must exist first): blobs before the manifest naming them, child manifests before
 * their index.
 *
 * <p>Copies made by one copier share a ledger of the blobs they have sent: a layer that several
 * images share crosses the wire once, and every other copy waits for it and then mounts it from
 * the repository it landed in (distribution-spec "Mounting a blob from another repository").
 * Make one copier per run.
 */
public final class ImageCopier {
  private final CopyOptions options;
  private final Map<Digest, Future<Optional<Origin>>> landed;
  /** When non-null, the blob limit of every copy of this copier (run-wide); else one per copy. */
  private final AsyncLimiter blobs;

  public ImageCopier(CopyOptions options) {
    this(options, new ConcurrentHashMap<>(), null);
  }

  private ImageCopier(CopyOptions options, Map<Digest, Future<Optional<Origin>>> landed,
      AsyncLimiter blobs) {
    this.options = options;
    this.landed = landed;
    this.blobs = blobs;
  }

  /**
   * This copier with {@code parallelBlobs} counted across all its copies rather than per copy,
   * so a run may start many images at once (each waits for its turn per blob, in order) without
   * multiplying the transfers: the distinct layers of every image start early, and the upstream
   * sees at most {@code parallelBlobs} blob transfers at a time.
   */
  public ImageCopier withRunWideBlobLimit() {
    return new ImageCopier(options, landed, new AsyncLimiter(options.parallelBlobs()));
  }

  public CopyOptions options() {
    return options;
  }

  /** A copier with other options that shares this one's ledger: blobs still cross once per run. */
  public ImageCopier withOptions(CopyOptions value) {
    return new ImageCopier(value, landed, blobs);
  }

  public static ImageCopier of(CopyOptions options) {
    return new ImageCopier(options);
  }

  /** One-shot form of {@code ImageCopier.of(options).copy(...)}. */
  public static Future<CopyResult> copy(
      ImageSource source, String sourceRef, ImageSink sink, String targetRef, CopyOptions options) {
    return of(options).copy(source, sourceRef, sink, targetRef);
  }

  /**
   * Copies {@code sourceRef} (tag or digest) from {@code source} to {@code targetRef} in
   * {@code sink}; a null {@code targetRef} stores the manifest by its digest only.
   */
  public Future<CopyResult> copy(ImageSource source, String sourceRef, ImageSink sink, String targetRef) {
    CopyRun run = new CopyRun(source, sink, options, landed,
        blobs != null ? blobs : new AsyncLimiter(options.parallelBlobs()));
    return run.copy(sourceRef, targetRef)
        .recover(e -> Future.failedFuture(new ImageCopyException(
            "copy of " + sourceRef + " to " + (targetRef == null ? "its digest" : targetRef) + " failed: "
                + Causes.describe(e), e)));
  }
}
