package dev.refit.patches.engine;

/**
 * Base of every failure to read or apply a patch or tree; the message says what, where and what
 * to do. Immutable.
 */
public class PatchException extends RuntimeException {

  public PatchException(String message) {
    super(message);
  }

  public PatchException(String message, Throwable cause) {
    super(message, cause);
  }
}
