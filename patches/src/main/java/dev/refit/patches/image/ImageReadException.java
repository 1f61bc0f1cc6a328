package dev.refit.patches.image;

import dev.refit.error.ExitCode;
import dev.refit.error.RefitException;

/**
 * An image's manifest, config or layers could not be read; the message names image and layer.
 * Exits {@link ExitCode#FAILED}. Immutable.
 */
public final class ImageReadException extends RefitException {
  public ImageReadException(String message) {
    super(message, null, ExitCode.FAILED);
  }

  public ImageReadException(String message, Throwable cause) {
    super(message, null, ExitCode.FAILED, cause);
  }
}
