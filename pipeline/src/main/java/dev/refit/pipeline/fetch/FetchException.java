package dev.refit.pipeline.fetch;

import dev.refit.error.ExitCode;
import dev.refit.error.RefitException;

/** A fetch failed for a reason other than an offline cache miss; the message names what and where. */
public class FetchException extends RefitException {
  public FetchException(String message) {
    super(message, null, ExitCode.FAILED);
  }

  public FetchException(String message, Throwable cause) {
    super(message, null, ExitCode.FAILED, cause);
  }
}
