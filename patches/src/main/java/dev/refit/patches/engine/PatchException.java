package dev.refit.patches.engine;

import dev.refit.error.ExitCode;
import dev.refit.error.RefitException;

/**
 * Base of every failure to read or apply a patch or tree; the message says what, where and what
 * to do. It fails the image being patched, so it exits {@link ExitCode#FAILED}. Immutable.
 */
public class PatchException extends RefitException {

  public PatchException(String message) {
    super(message, null, ExitCode.FAILED);
  }

  public PatchException(String message, Throwable cause) {
    super(message, null, ExitCode.FAILED, cause);
  }
}
