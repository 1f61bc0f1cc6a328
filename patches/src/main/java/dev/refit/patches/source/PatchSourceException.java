package dev.refit.patches.source;

import dev.refit.error.ExitCode;
import dev.refit.error.RefitException;

/**
 * A patch could not be obtained (missing file, unreadable series, Gerrit failure); the message
 * says which patch, where it was configured and what to do. Exits {@link ExitCode#FAILED} unless
 * a subclass says otherwise. Immutable.
 */
public class PatchSourceException extends RefitException {
  public PatchSourceException(String message) {
    super(message, null, ExitCode.FAILED);
  }

  public PatchSourceException(String message, Throwable cause) {
    super(message, null, ExitCode.FAILED, cause);
  }

  protected PatchSourceException(String message, String hint, ExitCode exitCode) {
    super(message, hint, exitCode);
  }
}
