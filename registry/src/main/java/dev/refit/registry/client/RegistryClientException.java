package dev.refit.registry.client;

import dev.refit.error.ExitCode;
import dev.refit.error.RefitException;

/** A registry request that could not be completed; the message names the URL and the cause. */
public class RegistryClientException extends RefitException {
  public RegistryClientException(String message) {
    super(message, null, ExitCode.FAILED);
  }

  public RegistryClientException(String message, Throwable cause) {
    super(message, null, ExitCode.FAILED, cause);
  }

  public RegistryClientException(String message, String hint, Throwable cause) {
    super(message, hint, ExitCode.FAILED, cause);
  }
}
