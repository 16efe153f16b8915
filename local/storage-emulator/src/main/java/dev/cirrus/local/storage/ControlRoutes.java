package dev.cirrus.local.storage;

import com.sun.net.httpserver.HttpExchange;
import java.util.Locale;
import java.util.Set;

/**
 * The emulator's own routes ({@code /_internal/*}, {@code /retry_test*}): they reset the store and
 * inject faults, so only programs on this machine may use them. A web page anywhere can make a
 * browser send a "simple" request (GET, HEAD, or a POST of a form or plain text) to localhost
 * without asking first; everything else needs a CORS preflight, which {@link Cors} refuses to pages
 * from elsewhere. So a control request that changes something must be one a page could only send
 * after a preflight (a JSON body, or a method other than POST), and none may come from a page of
 * another site.
 */
final class ControlRoutes {
  /** The request content types the Fetch standard lets a page send without a preflight. */
  private static final Set<String> SAFELISTED =
      Set.of("application/x-www-form-urlencoded", "multipart/form-data", "text/plain");

  private ControlRoutes() {}

  static boolean owns(String path) {
    return path.startsWith("/_internal/")
        || path.equals("/retry_test")
        || path.equals("/retry_tests")
        || path.startsWith("/retry_test/");
  }

  static boolean mayControl(HttpExchange exchange) {
    String origin = exchange.getRequestHeaders().getFirst("Origin");
    if (origin != null && !Loopback.isOrigin(origin)) {
      return false;
    }
    // Browsers say where a request comes from; programs send no such header.
    String site = exchange.getRequestHeaders().getFirst("Sec-Fetch-Site");
    if (site != null && site.equalsIgnoreCase("cross-site")) {
      return false;
    }
    if (!exchange.getRequestMethod().equals("POST")) {
      return true;
    }
    String type = exchange.getRequestHeaders().getFirst("Content-Type");
    if (type == null) {
      return false;
    }
    String mediaType = type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    return !mediaType.isEmpty() && !SAFELISTED.contains(mediaType);
  }
}
