package dev.refit.registry.layout;

import dev.refit.error.ExitCode;
import dev.refit.error.RefitException;

/** An OCI layout directory that is missing, malformed, or lacks the image or blob asked for. */
public final class OciLayoutException extends RefitException {
  public OciLayoutException(String message) {
    super(message, null, ExitCode.FAILED);
  }

  public OciLayoutException(String message, Throwable cause) {
    super(message, null, ExitCode.FAILED, cause);
  }
}
