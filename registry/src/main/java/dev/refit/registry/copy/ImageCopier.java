package dev.refit.registry.copy;

import dev.refit.error.Causes;
import io.vertx.core.Future;

/**
 * Copies an image or an index with all its children from any {@link ImageSource} to any
 * {@link ImageSink}, keeping every digest: manifest bytes are copied exactly and blobs are
 * verified by the sink. Thread-safe; each copy has its own state.
 *
 * <p>Order follows what registries enforce (distribution-spec "Pushing Manifests": referenced
 * content must exist first): blobs before the manifest naming them, child manifests before
 * their index.
 */
public final class ImageCopier {
  private final CopyOptions options;

  public ImageCopier(CopyOptions options) {
    this.options = options;
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
    CopyRun run = new CopyRun(source, sink, options);
    return run.copy(sourceRef, targetRef)
        .recover(e -> Future.failedFuture(new ImageCopyException(
            "copy of " + sourceRef + " to " + (targetRef == null ? "its digest" : targetRef) + " failed: "
                + Causes.describe(e), e)));
  }
}
