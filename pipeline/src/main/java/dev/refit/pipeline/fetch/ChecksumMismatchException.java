package dev.refit.pipeline.fetch;

/** A downloaded or cached artifact does not match its expected checksum; nothing was put in place. */
public final class ChecksumMismatchException extends FetchException {
  public ChecksumMismatchException(String message) {
    super(message);
  }
}
