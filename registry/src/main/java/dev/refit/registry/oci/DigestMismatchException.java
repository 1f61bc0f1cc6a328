package dev.refit.registry.oci;

import dev.refit.error.ExitCode;
import dev.refit.error.RefitException;

/** Content whose computed digest differs from the one it was claimed to have. */
public class DigestMismatchException extends RefitException {
  private final Digest expected;
  private final Digest actual;

  public DigestMismatchException(Digest expected, Digest actual) {
    super("digest mismatch: expected " + expected + " but content hashes to " + actual, null,
        ExitCode.FAILED);
    this.expected = expected;
    this.actual = actual;
  }

  public Digest expected() {
    return expected;
  }

  public Digest actual() {
    return actual;
  }
}
