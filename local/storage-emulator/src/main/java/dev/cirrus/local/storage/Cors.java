package dev.cirrus.local.storage;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;

/**
 * CORS for web apps on the developer's machine: a page served from any origin may PUT to an upload
 * session and fetch signed URLs. The real service answers from the bucket's CORS configuration
 * ({@code infra/storage.tf} allows {@code var.cors_origins}); here every origin is allowed, since
 * the emulator only listens on the loopback interface.
 */
final class Cors {
  private static final String EXPOSED =
      "Location, Range, Content-Range, Content-Length, Content-Disposition, ETag, "
          + "X-Goog-Generation, X-Goog-Metageneration, X-Goog-Hash, X-Goog-Resumable";

  private Cors() {}

  /**
   * Adds the CORS headers for a request that carries an {@code Origin}.
   *
   * @return true when the request was a preflight, now answered
   */
  static boolean apply(HttpExchange exchange) throws IOException {
    String origin = exchange.getRequestHeaders().getFirst("Origin");
    if (origin == null) {
      return false;
    }
    Headers headers = exchange.getResponseHeaders();
    headers.set("Access-Control-Allow-Origin", origin);
    headers.add("Vary", "Origin");
    headers.set("Access-Control-Expose-Headers", EXPOSED);
    String preflight = exchange.getRequestHeaders().getFirst("Access-Control-Request-Method");
    if (!exchange.getRequestMethod().equals("OPTIONS") || preflight == null) {
      return false;
    }
    headers.set("Access-Control-Allow-Methods", "GET, HEAD, PUT, POST, DELETE");
    String asked = exchange.getRequestHeaders().getFirst("Access-Control-Request-Headers");
    if (asked != null) {
      headers.set("Access-Control-Allow-Headers", asked);
    }
    headers.set("Access-Control-Max-Age", "3600");
    exchange.sendResponseHeaders(200, -1);
    return true;
  }
}
