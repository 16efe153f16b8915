package dev.cirrus.shared.config;

import java.time.Duration;
import java.util.Map;

/**
 * How long user records are cached ({@code UserCache}). {@code CIRRUS_USER_CACHE_SECONDS} (default
 * 120, 0 turns the cache off) bounds how long the shared copy in Redis can outlive a change whose
 * eviction was lost (Redis unreachable at that moment); every writer evicts, so it is not how stale
 * a record normally gets. {@code CIRRUS_USER_CACHE_LOCAL_MS} (default 1000, 0 for none) is how long
 * an instance keeps its own copy: the delay before a change made elsewhere (a file promoted by
 * process-upload, say) shows in this instance's {@code GET /v1/me}, bought for a burst of reads
 * that costs one Redis round trip a second instead of one per request.
 */
public record UserCachePolicy(Duration shared, Duration near) {
  public static final Duration DEFAULT_SHARED = Duration.ofSeconds(120);
  public static final Duration DEFAULT_NEAR = Duration.ofSeconds(1);
  private static final Duration MAX_SHARED = Duration.ofHours(1);
  private static final Duration MAX_NEAR = Duration.ofSeconds(10);

  public static final UserCachePolicy OFF = new UserCachePolicy(Duration.ZERO, Duration.ZERO);

  public UserCachePolicy {
    if (shared.isNegative() || shared.compareTo(MAX_SHARED) > 0) {
      throw new ConfigException(
          "CIRRUS_USER_CACHE_SECONDS must be between 0 (off) and "
              + MAX_SHARED.toSeconds()
              + ", got: "
              + shared.toSeconds());
    }
    if (near.isNegative() || near.compareTo(MAX_NEAR) > 0) {
      throw new ConfigException(
          "CIRRUS_USER_CACHE_LOCAL_MS must be between 0 (none) and "
              + MAX_NEAR.toMillis()
              + ", got: "
              + near.toMillis());
    }
  }

  public boolean enabled() {
    return !shared.isZero();
  }

  /** Reads the variables above; a bad value is a start-up error that names its variable. */
  public static UserCachePolicy fromEnvironment(Map<String, String> env) {
    return new UserCachePolicy(
        Duration.ofSeconds(
            Limits.number(env, "CIRRUS_USER_CACHE_SECONDS", DEFAULT_SHARED.toSeconds())),
        Duration.ofMillis(
            Limits.number(env, "CIRRUS_USER_CACHE_LOCAL_MS", DEFAULT_NEAR.toMillis())));
  }
}
