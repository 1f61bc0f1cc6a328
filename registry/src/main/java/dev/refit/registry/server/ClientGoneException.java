package dev.refit.registry.server;

/**
 * The client went away mid-body (connection closed or stream reset), after every byte it sent
 * was written to its upload, which is therefore kept resumable (distribution-spec "Resuming").
 * Immutable.
 *
 * <p>Nobody is left to answer, so it never reaches a response; it only tells the upload handlers
 * not to cancel the upload.
 */
final class ClientGoneException extends RuntimeException {
  ClientGoneException(Throwable cause) {
    super("client closed the connection mid-body: " + cause.getMessage(), cause, false, false);
  }
}
