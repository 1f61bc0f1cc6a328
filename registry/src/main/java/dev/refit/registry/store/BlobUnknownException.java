package dev.refit.registry.store;

import dev.refit.registry.oci.Digest;

/** An operation needed a committed blob that the store does not hold. Maps to BLOB_UNKNOWN. */
public class BlobUnknownException extends RuntimeException {
  private final Digest digest;

  public BlobUnknownException(Digest digest, String context) {
    super("blob " + digest + " is not in the store (" + context + "); push it first");
    this.digest = digest;
  }

  public Digest digest() {
    return digest;
  }
}
