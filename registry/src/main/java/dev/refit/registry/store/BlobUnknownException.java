package dev.refit.registry.store;

import dev.refit.error.ExitCode;
import dev.refit.error.RefitException;
import dev.refit.registry.oci.Digest;

/** An operation needed a committed blob that the store does not hold. Maps to BLOB_UNKNOWN. */
public class BlobUnknownException extends RefitException {
  private final Digest digest;

  public BlobUnknownException(Digest digest, String context) {
    super("blob " + digest + " is not in the store (" + context + "); push it first", null,
        ExitCode.FAILED);
    this.digest = digest;
  }

  public Digest digest() {
    return digest;
  }
}
