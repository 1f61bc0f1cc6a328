package dev.refit.pipeline.prepare;

import dev.refit.error.Causes;
import dev.refit.error.ExitCode;
import dev.refit.error.RefitException;

/**
 * A stage of one image's job failed. Added once, at the stage boundary, so the message names
 * the image and the stage in front of the cause's own message; the cause's hint is kept.
 * Immutable.
 */
final class StageException extends RefitException {
  private final String stage;
  private final String image;
  private final String detail;

  StageException(String stage, String image, Throwable cause) {
    super(image + ": " + stage + ": " + Causes.describe(cause), null, ExitCode.FAILED, cause);
    this.stage = stage;
    this.image = image;
    this.detail = Causes.describe(cause);
  }

  String stage() {
    return stage;
  }

  String image() {
    return image;
  }

  /** What the report row says: the stage and the cause, the image being the row's own. */
  String reason() {
    return stage + ": " + detail;
  }
}
