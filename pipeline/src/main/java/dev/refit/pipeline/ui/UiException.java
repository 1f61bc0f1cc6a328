package dev.refit.pipeline.ui;

/**
 * A request the web view's API cannot answer, with the HTTP status to answer it with (400 bad
 * input, 404 unknown, 500 the store could not be read). The message is shown to the user as is,
 * so it never names a filesystem path.
 */
final class UiException extends RuntimeException {
  private final int status;

  UiException(int status, String message) {
    super(message);
    this.status = status;
  }

  static UiException badRequest(String message) {
    return new UiException(400, message);
  }

  static UiException notFound(String message) {
    return new UiException(404, message);
  }

  int status() {
    return status;
  }
}
