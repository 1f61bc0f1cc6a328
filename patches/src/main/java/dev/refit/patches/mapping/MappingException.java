package dev.refit.patches.mapping;

import dev.refit.error.ExitCode;
import dev.refit.error.RefitException;

/**
 * A patch cannot be placed (no image matches it under the strict policy), or the images to place
 * patches on cannot be listed; says what to do. Immutable.
 */
public final class MappingException extends RefitException {
  /** A settings problem: exits {@link ExitCode#USAGE}. */
  public MappingException(String message) {
    super(message, null, ExitCode.USAGE);
  }

  /** The images could not be listed (e.g. the catalog is unreachable): exits {@link ExitCode#FAILED}. */
  public MappingException(String message, Throwable cause) {
    super(message, null, ExitCode.FAILED, cause);
  }
}
