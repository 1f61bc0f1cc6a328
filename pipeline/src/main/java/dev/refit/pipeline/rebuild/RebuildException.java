package dev.refit.pipeline.rebuild;

/** A rebuild or publish of one image failed; the message says which image and why. Immutable. */
public final class RebuildException extends RuntimeException {

  public RebuildException(String message) {
    super(message);
  }

  public RebuildException(String message, Throwable cause) {
    super(message, cause);
  }
}
