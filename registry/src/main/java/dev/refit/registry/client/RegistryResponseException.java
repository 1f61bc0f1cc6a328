package dev.refit.registry.client;

/**
 * A registry answered with an unexpected HTTP status. Carries the status and the first
 * distribution-spec error code from the body ({@code {"errors":[{"code":...}]}}), if any.
 */
public class RegistryResponseException extends RegistryClientException {
  private final int status;
  private final String errorCode;

  public RegistryResponseException(String message, int status, String errorCode) {
    super(message);
    this.status = status;
    this.errorCode = errorCode;
  }

  public int status() {
    return status;
  }

  /** e.g. {@code BLOB_UNKNOWN}; null when the body carried none. */
  public String errorCode() {
    return errorCode;
  }
}
