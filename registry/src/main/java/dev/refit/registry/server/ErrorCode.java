package dev.refit.registry.server;

/**
 * Every error code the registry reports, each registered once with its HTTP status. Immutable.
 *
 * <p>Codes are the distribution-spec "Error Codes" table (code-1..code-14); statuses follow
 * distribution's errcode registry, except BLOB_UPLOAD_INVALID, which distribution maps to 404 but
 * which refit reports as 400 because it always means a malformed request here. RANGE_INVALID and
 * PAGINATION_NUMBER_INVALID are distribution extensions; MANIFEST_UNREADABLE is refit's own, for a
 * garbage-collection run (on {@code /refit/v1/gc}) that stopped at a corrupt stored manifest;
 * UNKNOWN is the last resort for bugs.
 */
public enum ErrorCode {
  BLOB_UNKNOWN(404, "blob unknown to registry"),
  BLOB_UPLOAD_INVALID(400, "blob upload invalid"),
  BLOB_UPLOAD_UNKNOWN(404, "blob upload unknown to registry"),
  DIGEST_INVALID(400, "provided digest did not match uploaded content"),
  MANIFEST_BLOB_UNKNOWN(400, "manifest references a manifest or blob unknown to registry"),
  MANIFEST_INVALID(400, "manifest invalid"),
  MANIFEST_UNKNOWN(404, "manifest unknown to registry"),
  NAME_INVALID(400, "invalid repository name"),
  NAME_UNKNOWN(404, "repository name not known to registry"),
  SIZE_INVALID(400, "provided length did not match content length"),
  UNAUTHORIZED(401, "authentication required"),
  DENIED(403, "requested access to the resource is denied"),
  UNSUPPORTED(405, "the operation is unsupported"),
  TOOMANYREQUESTS(429, "too many requests"),
  RANGE_INVALID(416, "invalid content range"),
  PAGINATION_NUMBER_INVALID(400, "invalid number of results requested"),
  MANIFEST_UNREADABLE(500, "a stored manifest cannot be read"),
  UNKNOWN(500, "unknown error");

  private final int status;
  private final String message;

  ErrorCode(int status, String message) {
    this.status = status;
    this.message = message;
  }

  /** The HTTP status this code is served with unless a failure overrides it (e.g. 413). */
  public int status() {
    return status;
  }

  /** The spec's short description, used when a failure carries no message of its own. */
  public String message() {
    return message;
  }
}
