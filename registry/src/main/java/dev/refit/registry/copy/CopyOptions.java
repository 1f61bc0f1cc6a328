package dev.refit.registry.copy;

import dev.refit.registry.oci.Platform;
import java.util.Set;

/**
 * How an {@link ImageCopier} copies. Immutable.
 *
 * @param parallelBlobs blobs transferred at once (>= 1)
 * @param platform when non-null and the source is an index, copy only the matching image
 *     (the target then gets that image's manifest, not the index); null copies everything
 * @param platforms when not empty and the source is an index, keep only the entries matching
 *     one of these: the target gets a new index ({@link PlatformSubset}) unless every entry
 *     matched, in which case the index is copied unchanged; empty copies everything
 */
public record CopyOptions(int parallelBlobs, Platform platform, Set<Platform> platforms) {

  public CopyOptions {
    if (parallelBlobs < 1) {
      throw new IllegalArgumentException("parallelBlobs must be >= 1, got " + parallelBlobs);
    }
    platforms = platforms == null ? Set.of() : Set.copyOf(platforms);
  }

  public CopyOptions(int parallelBlobs, Platform platform) {
    this(parallelBlobs, platform, Set.of());
  }

  public static CopyOptions defaults() {
    return new CopyOptions(4, null, Set.of());
  }

  public CopyOptions withParallelBlobs(int value) {
    return new CopyOptions(value, platform, platforms);
  }

  public CopyOptions withPlatform(Platform value) {
    return new CopyOptions(parallelBlobs, value, platforms);
  }

  public CopyOptions withPlatforms(Set<Platform> value) {
    return new CopyOptions(parallelBlobs, platform, value);
  }
}
