package dev.cirrus.shared.config;

import java.util.Map;

/**
 * Numeric limits, each overridable by one environment variable.
 *
 * @param maxRequestBytes largest request body accepted ({@code CIRRUS_MAX_REQUEST_BYTES})
 * @param maxDevicesPerUser devices kept per user; the oldest is replaced beyond it
 * @param defaultQuotaBytes storage granted to a new user ({@code CIRRUS_DEFAULT_QUOTA_BYTES})
 */
public record Limits(long maxRequestBytes, int maxDevicesPerUser, long defaultQuotaBytes) {

  public static final Limits DEFAULTS = new Limits(64 * 1024, 10, 5L * 1024 * 1024 * 1024);

  public Limits {
    if (maxRequestBytes < 1024) {
      throw new ConfigException("CIRRUS_MAX_REQUEST_BYTES must be at least 1024");
    }
    if (maxDevicesPerUser < 1 || maxDevicesPerUser > 100) {
      throw new ConfigException("CIRRUS_MAX_DEVICES_PER_USER must be between 1 and 100");
    }
    if (defaultQuotaBytes < 0) {
      throw new ConfigException("CIRRUS_DEFAULT_QUOTA_BYTES must not be negative");
    }
  }

  static Limits fromEnvironment(Map<String, String> env) {
    return new Limits(
        number(env, "CIRRUS_MAX_REQUEST_BYTES", DEFAULTS.maxRequestBytes()),
        (int) number(env, "CIRRUS_MAX_DEVICES_PER_USER", DEFAULTS.maxDevicesPerUser()),
        number(env, "CIRRUS_DEFAULT_QUOTA_BYTES", DEFAULTS.defaultQuotaBytes()));
  }

  static long number(Map<String, String> env, String name, long fallback) {
    return CirrusConfig.optional(env, name)
        .map(
            v -> {
              try {
                return Long.parseLong(v);
              } catch (NumberFormatException e) {
                throw new ConfigException(name + " must be a whole number, got: " + v);
              }
            })
        .orElse(fallback);
  }
}
