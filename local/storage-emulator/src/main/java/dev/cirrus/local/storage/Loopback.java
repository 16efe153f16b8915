package dev.cirrus.local.storage;

import java.net.URI;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What counts as this machine. The emulator listens on the loopback interface only, but a web page
 * can still reach it: through a DNS name that resolves to 127.0.0.1 (DNS rebinding), or by asking a
 * browser to send a cross-origin request. So requests must name a loopback host, and only pages
 * served from a loopback origin get CORS.
 */
final class Loopback {
  private static final Pattern IPV4 = Pattern.compile("127(\\.\\d{1,3}){3}");

  private Loopback() {}

  /** A {@code Host} header (host, optional port) naming this machine. */
  static boolean isHostHeader(String host) {
    if (host == null || host.isBlank()) {
      return false;
    }
    String name = host.trim();
    if (name.startsWith("[")) {
      int end = name.indexOf(']');
      return end > 0 && name.substring(1, end).equals("::1") && portOnly(name.substring(end + 1));
    }
    int colon = name.lastIndexOf(':');
    if (colon >= 0) {
      if (!portOnly(name.substring(colon))) {
        return false;
      }
      name = name.substring(0, colon);
    }
    return isName(name);
  }

  /** An {@code Origin} header of a page served from this machine. */
  static boolean isOrigin(String origin) {
    try {
      URI uri = URI.create(origin);
      String host = uri.getHost();
      return (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          && host != null
          && (isName(host) || host.equals("[::1]")));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static boolean isName(String host) {
    String lower = host.toLowerCase(Locale.ROOT);
    return lower.equals("localhost") || IPV4.matcher(lower).matches();
  }

  private static boolean portOnly(String rest) {
    return rest.isEmpty() || rest.matches(":\\d{1,5}");
  }
}
