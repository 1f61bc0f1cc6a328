package dev.refit.pipeline.fetch;

/** A fetch failed for a reason other than an offline cache miss; the message names what and where. */
public class FetchException extends RuntimeException {
  public FetchException(String message) {
    super(message);
  }

  public FetchException(String message, Throwable cause) {
    super(message, cause);
  }
}
