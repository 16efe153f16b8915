package dev.cirrus.shared.config;

import java.util.Locale;

/**
 * What a route does, for the checks the front door makes before any work: App Check modes and rate
 * budgets are set per class. Creating an upload session is a class of its own because it costs the
 * most (a Cloud Storage session, a reservation of quota).
 */
public enum RouteClass {
  READ,
  WRITE,
  UPLOAD;

  /** GET and HEAD read; every other method writes. */
  public static RouteClass ofMethod(String method) {
    return switch (method) {
      case "GET", "HEAD" -> READ;
      default -> WRITE;
    };
  }

  /** The suffix of this class's configuration variables: {@code READS}, {@code WRITES}, ... */
  public String variableSuffix() {
    return name().toUpperCase(Locale.ROOT) + "S";
  }
}
