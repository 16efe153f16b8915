package dev.cirrus.local.runner;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** Settings the local stack derives for its functions, as infra/ sets them when deployed. */
final class StackSettings {
  private StackSettings() {}

  /**
   * App Check locally: {@code monitor} (as infra/ deploys it), so a request without a token is
   * logged and served; {@code CIRRUS_APP_CHECK} in the environment (off, monitor, enforce) replaces
   * it.
   */
  static String appCheckMode() {
    String configured = System.getenv("CIRRUS_APP_CHECK");
    return configured == null || configured.isBlank() ? "monitor" : configured;
  }

  /**
   * The browser origins the local API answers CORS for, as {@code var.cors_origins} names them in
   * production: the gateway's own (pages it serves), the web app's, and a web app's dev server on
   * this machine ({@code localhost:5173}); {@code CIRRUS_CORS_ORIGINS} in the environment replaces
   * them.
   */
  static String corsOrigins(int gatewayPort, int webPort) {
    String configured = System.getenv("CIRRUS_CORS_ORIGINS");
    if (configured != null && !configured.isBlank()) {
      return configured;
    }
    List<String> origins =
        new ArrayList<>(List.of("http://localhost:5173", "http://127.0.0.1:5173"));
    for (int port : new int[] {gatewayPort, webPort}) {
      if (port != 0) {
        origins.add("http://localhost:" + port);
        origins.add("http://127.0.0.1:" + port);
      }
    }
    return String.join(",", origins);
  }

  static String newEdgeKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(key);
  }
}
