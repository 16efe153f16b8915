package dev.cirrus.shared.config;

import java.util.Map;

/**
 * Numeric limits, each overridable by one environment variable.
 *
 * @param maxRequestBytes largest request body accepted ({@code CIRRUS_MAX_REQUEST_BYTES})
 * @param maxDevicesPerUser devices kept per user; the oldest is replaced beyond it
 * @param defaultQuotaBytes storage granted to a new user ({@code CIRRUS_DEFAULT_QUOTA_BYTES})
 * @param unverifiedQuotaBytes the most an account with an unconfirmed email may store ({@code
 *     CIRRUS_UNVERIFIED_QUOTA_BYTES}, 100 MiB: enough to try the app, too little to be worth
 *     minting accounts for)
 * @param anonymousQuotaBytes the most an anonymous account may store ({@code
 *     CIRRUS_ANONYMOUS_QUOTA_BYTES}, 20 MiB: a few photos before the user signs up)
 * @param dailyUploadSessions upload sessions one user may open a day ({@code
 *     CIRRUS_DAILY_UPLOAD_SESSIONS}, 500: a big album twice over)
 * @param dailyUploadBytes bytes one user may start uploading a day ({@code
 *     CIRRUS_DAILY_UPLOAD_BYTES}, 10 GiB), so a create-and-abort loop cannot churn without bound
 */
public record Limits(
    long maxRequestBytes,
    int maxDevicesPerUser,
    long defaultQuotaBytes,
    long unverifiedQuotaBytes,
    long anonymousQuotaBytes,
    int dailyUploadSessions,
    long dailyUploadBytes) {

  private static final long MIB = 1024 * 1024;

  public static final Limits DEFAULTS =
      new Limits(64 * 1024, 10, 5L * 1024 * MIB, 100 * MIB, 20 * MIB, 500, 10L * 1024 * MIB);

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
    if (unverifiedQuotaBytes < 0) {
      throw new ConfigException("CIRRUS_UNVERIFIED_QUOTA_BYTES must not be negative");
    }
    if (anonymousQuotaBytes < 0) {
      throw new ConfigException("CIRRUS_ANONYMOUS_QUOTA_BYTES must not be negative");
    }
    if (dailyUploadSessions < 1) {
      throw new ConfigException("CIRRUS_DAILY_UPLOAD_SESSIONS must be at least 1");
    }
    if (dailyUploadBytes < 1) {
      throw new ConfigException("CIRRUS_DAILY_UPLOAD_BYTES must be at least 1");
    }
  }

  /** These limits with another default quota: for tests and tools that give users their own. */
  public Limits withDefaultQuota(long bytes) {
    return new Limits(
        maxRequestBytes,
        maxDevicesPerUser,
        bytes,
        unverifiedQuotaBytes,
        anonymousQuotaBytes,
        dailyUploadSessions,
        dailyUploadBytes);
  }

  public Limits withMaxDevices(int devices) {
    return new Limits(
        maxRequestBytes,
        devices,
        defaultQuotaBytes,
        unverifiedQuotaBytes,
        anonymousQuotaBytes,
        dailyUploadSessions,
        dailyUploadBytes);
  }

  static Limits fromEnvironment(Map<String, String> env) {
    return new Limits(
        number(env, "CIRRUS_MAX_REQUEST_BYTES", DEFAULTS.maxRequestBytes()),
        (int) number(env, "CIRRUS_MAX_DEVICES_PER_USER", DEFAULTS.maxDevicesPerUser()),
        number(env, "CIRRUS_DEFAULT_QUOTA_BYTES", DEFAULTS.defaultQuotaBytes()),
        number(env, "CIRRUS_UNVERIFIED_QUOTA_BYTES", DEFAULTS.unverifiedQuotaBytes()),
        number(env, "CIRRUS_ANONYMOUS_QUOTA_BYTES", DEFAULTS.anonymousQuotaBytes()),
        (int) number(env, "CIRRUS_DAILY_UPLOAD_SESSIONS", DEFAULTS.dailyUploadSessions()),
        number(env, "CIRRUS_DAILY_UPLOAD_BYTES", DEFAULTS.dailyUploadBytes()));
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
