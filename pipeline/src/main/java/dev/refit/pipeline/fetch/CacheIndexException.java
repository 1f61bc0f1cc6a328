package dev.refit.pipeline.fetch;

/** The cache index file cannot be read or written; the message names the file and what to do. */
public final class CacheIndexException extends FetchException {
  public CacheIndexException(String message, Throwable cause) {
    super(message, cause);
  }
}
