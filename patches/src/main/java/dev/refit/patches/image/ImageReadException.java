package dev.refit.patches.image;

/** An image's manifest, config or layers could not be read; the message names image and layer. Immutable. */
public final class ImageReadException extends RuntimeException {
  public ImageReadException(String message) {
    super(message);
  }

  public ImageReadException(String message, Throwable cause) {
    super(message, cause);
  }
}
