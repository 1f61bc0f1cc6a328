package dev.refit.patches.source;

/**
 * A patch could not be obtained (missing file, unreadable series, Gerrit failure); the message
 * says which patch, where it was configured and what to do. Immutable.
 */
public class PatchSourceException extends RuntimeException {
  public PatchSourceException(String message) {
    super(message);
  }

  public PatchSourceException(String message, Throwable cause) {
    super(message, cause);
  }
}
