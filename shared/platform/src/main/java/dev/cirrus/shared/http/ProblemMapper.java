package dev.cirrus.shared.http;

import dev.cirrus.shared.error.BadRequest;
import dev.cirrus.shared.error.CirrusException;
import dev.cirrus.shared.error.Conflict;
import dev.cirrus.shared.error.MethodNotAllowed;
import dev.cirrus.shared.error.NotFound;
import dev.cirrus.shared.error.PayloadTooLarge;
import dev.cirrus.shared.error.PermissionDenied;
import dev.cirrus.shared.error.PreconditionFailed;
import dev.cirrus.shared.error.TooManyRequests;
import dev.cirrus.shared.error.Unauthenticated;
import dev.cirrus.shared.error.Unavailable;
import dev.cirrus.shared.error.UnsupportedMediaType;

/** The one place where failures become HTTP statuses. */
public final class ProblemMapper {
  private static final String TYPE_BASE = "https://cirrus.dev/problems/";

  public int status(CirrusException e) {
    // Java 17 has no pattern switch; the sealed hierarchy keeps this list complete.
    if (e instanceof BadRequest) {
      return 400;
    } else if (e instanceof Unauthenticated) {
      return 401;
    } else if (e instanceof PermissionDenied) {
      return 403;
    } else if (e instanceof NotFound) {
      return 404;
    } else if (e instanceof MethodNotAllowed) {
      return 405;
    } else if (e instanceof Conflict) {
      return 409;
    } else if (e instanceof PreconditionFailed) {
      return 412;
    } else if (e instanceof PayloadTooLarge) {
      return 413;
    } else if (e instanceof UnsupportedMediaType) {
      return 415;
    } else if (e instanceof TooManyRequests) {
      return 429;
    } else if (e instanceof Unavailable) {
      return 503;
    }
    throw new IllegalStateException("unmapped " + e.getClass().getName());
  }

  public Problem toProblem(CirrusException e, String requestId) {
    int status = status(e);
    String field = e instanceof BadRequest b ? b.field().orElse(null) : null;
    return new Problem(
        TYPE_BASE + e.code(), title(status), status, e.detail(), e.code(), requestId, field);
  }

  /** For the catch-all: a bug, described without leaking internals. */
  public Problem internal(String requestId) {
    return new Problem(
        TYPE_BASE + "internal",
        title(500),
        500,
        "an unexpected error occurred; quote the requestId when reporting it",
        "internal",
        requestId,
        null);
  }

  static String title(int status) {
    return switch (status) {
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 409 -> "Conflict";
      case 412 -> "Precondition Failed";
      case 413 -> "Content Too Large";
      case 415 -> "Unsupported Media Type";
      case 429 -> "Too Many Requests";
      case 503 -> "Service Unavailable";
      default -> "Internal Server Error";
    };
  }
}
