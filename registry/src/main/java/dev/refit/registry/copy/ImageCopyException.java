package dev.refit.registry.copy;

import dev.refit.error.ExitCode;
import dev.refit.error.RefitException;

/** A copy that failed; the message names the source, the target and the first cause. */
public class ImageCopyException extends RefitException {
  public ImageCopyException(String message, Throwable cause) {
    super(message, null, ExitCode.FAILED, cause);
  }

  public ImageCopyException(String message) {
    super(message, null, ExitCode.FAILED);
  }
}
