package dev.cirrus.local.storage;

/**
 * A failure the real service reports with this status and {@code reason}; the API layer turns it
 * into Cloud Storage's JSON error body in one place.
 */
public final class StorageError extends RuntimeException {
  private final int status;
  private final String reason;
  private final String xmlCode;

  private StorageError(int status, String reason, String message) {
    this(status, reason, message, null);
  }

  private StorageError(int status, String reason, String message, String xmlCode) {
    super(message, null, false, false);
    this.status = status;
    this.reason = reason;
    this.xmlCode = xmlCode;
  }

  /** Bytes that do not match a digest the client declared (the XML API's BadDigest). */
  public static StorageError digestMismatch(String message) {
    return new StorageError(400, "invalid", message, "BadDigest");
  }

  public static StorageError notFound(String message) {
    return new StorageError(404, "notFound", message);
  }

  public static StorageError conflict(String message) {
    return new StorageError(409, "conflict", message);
  }

  public static StorageError preconditionFailed(String message) {
    return new StorageError(412, "conditionNotMet", message);
  }

  public static StorageError invalid(String message) {
    return new StorageError(400, "invalid", message);
  }

  /** A query parameter the service cannot use. */
  public static StorageError invalidParameter(String message) {
    return new StorageError(400, "invalidParameter", message);
  }

  public static StorageError forbidden(String message) {
    return new StorageError(403, "forbidden", message);
  }

  /** A body that is not JSON: the service's parse error. */
  public static StorageError parseError(String message) {
    return new StorageError(400, "parseError", message);
  }

  public static StorageError required(String message) {
    return new StorageError(400, "required", message);
  }

  /** A status a retry test asked for. */
  public static StorageError injected(int status) {
    String reason =
        switch (status) {
          case 400 -> "invalid";
          case 401 -> "required";
          case 408 -> "requestTimeout";
          case 429 -> "rateLimitExceeded";
          case 503 -> "backendError";
          default -> "injected";
        };
    return new StorageError(status, reason, "Retry test: injected " + status);
  }

  public static StorageError rangeNotSatisfiable(String message) {
    return new StorageError(416, "requestedRangeNotSatisfiable", message);
  }

  public int status() {
    return status;
  }

  public String reason() {
    return reason;
  }

  /** The XML API's error code where it is not the one the status implies; null otherwise. */
  public String xmlCode() {
    return xmlCode;
  }
}
