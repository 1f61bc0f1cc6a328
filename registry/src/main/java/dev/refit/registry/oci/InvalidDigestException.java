package dev.refit.registry.oci;

/** A digest string that is malformed or names an unsupported algorithm. */
public class InvalidDigestException extends IllegalArgumentException {
  public InvalidDigestException(String message) {
    super(message);
  }
}
