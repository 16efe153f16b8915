package dev.cirrus.local.storage;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;

/**
 * CORS for web apps on the developer's machine: a page served from any origin may PUT to an upload
 * session and fetch signed URLs. The real service answers from the bucket's CORS configuration
 * ({@code infra/storage.tf} allows {@code var.cors_origins}); here pages from this machine's own
 * origins ({@code localhost}, {@code 127.x.x.x}, {@code [::1]}, any port) are allowed, and no
 * other: a page elsewhere on the web must not read or write a developer's local data.
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
    if (!Loopback.isOrigin(origin)) {
      if (exchange.getRequestMethod().equals("OPTIONS")) {
        // A preflight from elsewhere gets no permission; the browser then sends nothing.
        exchange.sendResponseHeaders(403, -1);
        return true;
      }
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
