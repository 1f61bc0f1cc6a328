package dev.refit.registry.store;

import dev.refit.error.ExitCode;
import dev.refit.error.RefitException;

/**
 * The store could not read or write its files (disk full, permissions, a corrupt layout). Wraps
 * the IOException once, naming the path and the operation. Exits {@link ExitCode#FAILED}.
 */
public class StoreException extends RefitException {
  public StoreException(String message, Throwable cause) {
    this(message, null, cause);
  }

  protected StoreException(String message, String hint, Throwable cause) {
    super(message, hint, ExitCode.FAILED, cause);
  }
}
