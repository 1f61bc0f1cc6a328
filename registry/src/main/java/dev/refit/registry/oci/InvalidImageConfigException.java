package dev.refit.registry.oci;

/** An image config blob that is not valid JSON or lacks what the OCI image-spec config requires. */
public final class InvalidImageConfigException extends IllegalArgumentException {
  public InvalidImageConfigException(String message) {
    super(message);
  }
}
