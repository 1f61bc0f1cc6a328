package dev.refit.registry.oci;

/** An image reference that breaks the docker reference grammar or a transport's syntax. */
public final class InvalidImageRefException extends IllegalArgumentException {
  public InvalidImageRefException(String message) {
    super(message);
  }
}
