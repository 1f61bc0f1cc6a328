package dev.refit.registry.oci;

/**
 * A manifest or index that is not valid JSON or breaks the OCI / Docker schema; the message names
 * the field at fault (e.g. {@code manifest.layers[1].digest}) and says what was expected.
 */
public final class InvalidManifestException extends IllegalArgumentException {
  public InvalidManifestException(String message) {
    super(message);
  }
}
