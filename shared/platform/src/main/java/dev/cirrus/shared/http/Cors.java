package dev.cirrus.shared.http;

import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import dev.cirrus.shared.error.NotFound;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** What a browser is told about the API: who may call it, with which methods and headers. */
final class Cors {
  private final String origins;
  private final Router router;

  /**
   * @param origins {@code *}, or the comma-separated origins the web app is served from
   */
  Cors(String origins, Router router) {
    this.origins = origins;
    this.router = router;
  }

  /** The answer to a preflight {@code OPTIONS} for {@code path}. */
  Reply preflight(String path) {
    Set<String> methods = router.methodsFor(path);
    if (methods.isEmpty()) {
      throw new NotFound("no-route", "no route for " + path);
    }
    return Reply.noContent()
        .withHeader("Access-Control-Allow-Methods", String.join(", ", methods))
        .withHeader(
            "Access-Control-Allow-Headers",
            "Authorization, Content-Type, If-Match, If-None-Match, Idempotency-Key, traceparent, "
                + HttpApi.APP_CHECK_HEADER)
        .withHeader("Access-Control-Max-Age", "3600");
  }

  /** The headers that let an allowed origin read the answer; none for any other origin. */
  void apply(HttpRequest request, HttpResponse response) {
    Optional<String> origin = request.getFirstHeader("Origin");
    if (origin.isEmpty()) {
      return;
    }
    if ("*".equals(origins)) {
      response.appendHeader("Access-Control-Allow-Origin", "*");
    } else if (List.of(origins.split(",")).stream()
        .map(String::trim)
        .anyMatch(origin.get()::equals)) {
      response.appendHeader("Access-Control-Allow-Origin", origin.get());
      response.appendHeader("Vary", "Origin");
    } else {
      return;
    }
    response.appendHeader(
        "Access-Control-Expose-Headers",
        "ETag, Location, X-Request-Id, Retry-After, RateLimit, RateLimit-Policy");
  }
}
