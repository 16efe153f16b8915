package dev.cirrus.shared.error;

/**
 * Every failure a caller can be told about. The set is closed on purpose: each subtype maps to
 * exactly one HTTP status in {@code ProblemMapper}, the single place where errors become responses.
 * {@code code} is a stable machine word clients may branch on.
 */
public abstract sealed class CirrusException extends RuntimeException
    permits BadRequest,
        Unauthenticated,
        PermissionDenied,
        NotFound,
        MethodNotAllowed,
        Conflict,
        PreconditionFailed,
        PayloadTooLarge,
        UnsupportedMediaType,
        TooManyRequests,
        Unavailable {

  private final String code;

  CirrusException(String code, String detail) {
    this(code, detail, null);
  }

  CirrusException(String code, String detail, Throwable cause) {
    super(detail, cause, false, false);
    if (code == null || code.isBlank()) {
      throw new IllegalArgumentException("code must not be blank");
    }
    this.code = code;
  }

  /** A stable, lower-case machine word such as {@code invalid-argument}. */
  public String code() {
    return code;
  }

  /** Human-readable explanation of this occurrence. */
  public String detail() {
    return getMessage();
  }
}
