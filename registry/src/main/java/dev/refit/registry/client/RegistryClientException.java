package dev.refit.registry.client;

/** A registry request that could not be completed; the message names the URL and the cause. */
public class RegistryClientException extends RuntimeException {
  public RegistryClientException(String message) {
    super(message);
  }

  public RegistryClientException(String message, Throwable cause) {
    super(message, cause);
  }
}
