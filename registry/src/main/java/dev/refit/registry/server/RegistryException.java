package dev.refit.registry.server;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A request failure the client must be told about: an {@link ErrorCode}, a human message, an
 * optional JSON-able detail, and the HTTP status and extra headers to answer with. Immutable.
 *
 * <p>Handlers throw or fail futures with this; only {@link FailureWriter} turns it into bytes.
 */
public final class RegistryException extends RuntimeException {
  private final ErrorCode code;
  private final Object detail;
  private final int status;
  private final Map<String, String> headers;

  public RegistryException(ErrorCode code, String message, Object detail) {
    this(code, message, detail, code.status(), Map.of(), null);
  }

  private RegistryException(
      ErrorCode code, String message, Object detail, int status, Map<String, String> headers,
      Throwable cause) {
    super(message == null ? code.message() : message, cause);
    this.code = Objects.requireNonNull(code, "code");
    this.detail = detail;
    this.status = status;
    this.headers = Map.copyOf(headers);
  }

  public static RegistryException of(ErrorCode code, String message) {
    return new RegistryException(code, message, null);
  }

  /** A body larger than a configured limit: the code's JSON with status 413 (RFC 9110 15.5.14). */
  public static RegistryException tooLarge(String what, long limit) {
    return of(ErrorCode.SIZE_INVALID, what + " exceeds the limit of " + limit + " bytes")
        .withStatus(413);
  }

  public ErrorCode code() {
    return code;
  }

  public Object detail() {
    return detail;
  }

  public int status() {
    return status;
  }

  public Map<String, String> headers() {
    return headers;
  }

  public RegistryException withStatus(int newStatus) {
    return new RegistryException(code, getMessage(), detail, newStatus, headers, getCause());
  }

  public RegistryException withHeader(String name, String value) {
    Map<String, String> copy = new LinkedHashMap<>(headers);
    copy.put(name, value);
    return new RegistryException(code, getMessage(), detail, status, copy, getCause());
  }
}
