package dev.refit.registry.store;

import dev.refit.registry.oci.Digest;

/** Removes committed blobs. Blocking; thread-safe. */
public interface BlobDeleter {
  /** Returns true if the blob existed and was removed. */
  boolean delete(Digest digest);
}
