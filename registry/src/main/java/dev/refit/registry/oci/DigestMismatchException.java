package dev.refit.registry.oci;

/** Content whose computed digest differs from the one it was claimed to have. */
public class DigestMismatchException extends RuntimeException {
  private final Digest expected;
  private final Digest actual;

  public DigestMismatchException(Digest expected, Digest actual) {
    super("digest mismatch: expected " + expected + " but content hashes to " + actual);
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
