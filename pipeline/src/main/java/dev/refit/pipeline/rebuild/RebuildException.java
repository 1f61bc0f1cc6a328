package dev.refit.pipeline.rebuild;

import dev.refit.error.ExitCode;
import dev.refit.error.RefitException;

/** A rebuild or publish of one image failed; the message says which image and why. Immutable. */
public final class RebuildException extends RefitException {

  public RebuildException(String message) {
    super(message, null, ExitCode.FAILED);
  }

  public RebuildException(String message, Throwable cause) {
    super(message, null, ExitCode.FAILED, cause);
  }
}
