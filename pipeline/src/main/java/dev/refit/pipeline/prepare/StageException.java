package dev.refit.pipeline.prepare;

/**
 * A stage of one image's job failed. Added once, at the stage boundary, so the message names
 * the image and the stage in front of the cause's own message. Immutable.
 */
final class StageException extends RuntimeException {
  private final String stage;
  private final String image;
  private final String detail;

  StageException(String stage, String image, Throwable cause) {
    super(image + ": " + stage + ": " + detail(cause), cause);
    this.stage = stage;
    this.image = image;
    this.detail = detail(cause);
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

  /** The innermost message that says something; a cause without one is named by its kind. */
  static String detail(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && (c.getMessage() == null
        || c instanceof java.util.concurrent.CompletionException)) {
      c = c.getCause();
    }
    String m = c.getMessage();
    return m == null || m.isBlank() ? c.getClass().getSimpleName() : m;
  }
}
