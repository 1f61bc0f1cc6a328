package dev.refit.registry.store;

import java.util.Optional;

/**
 * Starts and resumes blob uploads. Blocking; thread-safe.
 *
 * <p>Follows distribution's BlobIngester: an upload is a {@link BlobWriter} whose bytes are
 * invisible until {@link BlobWriter#commit} verifies the digest.
 */
public interface BlobIngester {
  /** Opens a new upload session with a fresh, unguessable id. */
  BlobWriter create();

  /** Finds an in-progress upload by id; empty if unknown, cancelled, committed or expired. */
  Optional<BlobWriter> resume(String uploadId);
}
