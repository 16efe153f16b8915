package dev.cirrus.shared.config;

import java.util.Locale;

/** How a class of routes treats the {@code X-Firebase-AppCheck} header. */
public enum AppCheckMode {
  /** Not read at all. */
  OFF,
  /** Verified; a missing or invalid token is logged and counted, and the request goes on. */
  MONITOR,
  /** Verified; a missing or invalid token is refused with 401 {@code app-check-failed}. */
  ENFORCE;

  static AppCheckMode parse(String variable, String value) {
    try {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(variable + " must be off, monitor or enforce, got: " + value);
    }
  }
}
