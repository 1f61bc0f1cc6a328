package dev.refit.registry.copy;

/** A copy that failed; the message names the source, the target and the first cause. */
public class ImageCopyException extends RuntimeException {
  public ImageCopyException(String message, Throwable cause) {
    super(message, cause);
  }

  public ImageCopyException(String message) {
    super(message);
  }
}
