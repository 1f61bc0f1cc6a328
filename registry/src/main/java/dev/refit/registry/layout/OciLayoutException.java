package dev.refit.registry.layout;

/** An OCI layout directory that is missing, malformed, or lacks the image or blob asked for. */
public final class OciLayoutException extends RuntimeException {
  public OciLayoutException(String message) {
    super(message);
  }

  public OciLayoutException(String message, Throwable cause) {
    super(message, cause);
  }
}
