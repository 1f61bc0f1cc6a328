package dev.refit.registry.copy;

import dev.refit.registry.oci.Platform;

/**
 * How an {@link ImageCopier} copies. Immutable.
 *
 * @param parallelBlobs blobs transferred at once (>= 1)
 * @param platform when non-null and the source is an index, copy only the matching image
 *     (the target then gets that image's manifest, not the index); null copies everything
 */
public record CopyOptions(int parallelBlobs, Platform platform) {

  public CopyOptions {
    if (parallelBlobs < 1) {
      throw new IllegalArgumentException("parallelBlobs must be >= 1, got " + parallelBlobs);
    }
  }

  public static CopyOptions defaults() {
    return new CopyOptions(4, null);
  }

  public CopyOptions withParallelBlobs(int value) {
    return new CopyOptions(value, platform);
  }

  public CopyOptions withPlatform(Platform value) {
    return new CopyOptions(parallelBlobs, value);
  }
}
