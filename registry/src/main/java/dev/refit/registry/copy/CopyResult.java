package dev.refit.registry.copy;

import dev.refit.registry.oci.Digest;

/**
 * What one copy did. Immutable.
 *
 * @param digest digest of the manifest written under the target reference (identical to the
 *     source's, since bytes are copied exactly)
 * @param manifests manifests written (an index and its children count separately)
 * @param blobsCopied blobs whose bytes were transferred
 * @param blobsSkipped blobs the sink already had
 * @param blobsMounted blobs made available without transfer (cross-repository mount)
 * @param bytesCopied bytes of the transferred blobs
 */
public record CopyResult(
    Digest digest,
    String mediaType,
    int manifests,
    int blobsCopied,
    int blobsSkipped,
    int blobsMounted,
    long bytesCopied) {

  /** This result with {@code other}'s counts added (the digest stays this one's). */
  public CopyResult plus(CopyResult other) {
    return new CopyResult(digest, mediaType, manifests + other.manifests, blobsCopied + other.blobsCopied,
        blobsSkipped + other.blobsSkipped, blobsMounted + other.blobsMounted, bytesCopied + other.bytesCopied);
  }
}
