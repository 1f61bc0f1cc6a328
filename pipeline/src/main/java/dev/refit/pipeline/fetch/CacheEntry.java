package dev.refit.pipeline.fetch;

import dev.refit.registry.oci.Digest;
import java.time.Instant;
import java.util.Objects;

/**
 * What the last successful fetch of one upstream reference found. Immutable.
 *
 * @param reference the upstream reference as given (image reference or artifact URL)
 * @param digest manifest digest for images, sha256 of the file for artifacts
 * @param mediaType manifest media type for images; the Content-Type (or null) for artifacts
 * @param etag the validator the server sent, or null
 * @param lastModified the server's Last-Modified as a UTC instant, or null
 * @param localReference where the copy lives: {@code repo:tag} in the local registry (its address
 *     changes between runs when embedded), or the file path for artifacts
 * @param fetchedAt when the fetch completed (UTC)
 */
public record CacheEntry(
    String reference,
    Digest digest,
    String mediaType,
    String etag,
    Instant lastModified,
    String localReference,
    Instant fetchedAt) {

  public CacheEntry {
    Objects.requireNonNull(reference, "reference");
    Objects.requireNonNull(digest, "digest");
    Objects.requireNonNull(localReference, "localReference");
    Objects.requireNonNull(fetchedAt, "fetchedAt");
  }
}
