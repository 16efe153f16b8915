package dev.cirrus.local.runner;

import dev.cirrus.shared.config.RateBudget;
import dev.cirrus.shared.ratelimit.TokenBucket;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What Cloud Armor's per-address throttle does in front of API Gateway ({@code infra/edge.tf}), for
 * the local gateway: each client address may make {@code perMinute} requests a minute, the rest are
 * refused with 429 until the budget refills. In memory: the local gateway is one process.
 */
final class EdgeThrottle {
  /** As infra/edge.tf's {@code edge_requests_per_minute} defaults. */
  static final int DEFAULT_PER_MINUTE = 1200;

  private static final int MAX_ADDRESSES = 10_000;

  private final RateBudget budget;
  private final Clock clock;
  private final Map<String, TokenBucket> buckets =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, TokenBucket> eldest) {
          return size() > MAX_ADDRESSES;
        }
      };

  EdgeThrottle(int perMinute, Clock clock) {
    this.budget = new RateBudget(perMinute, Duration.ofMinutes(1));
    this.clock = clock;
  }

  /** The budget from {@code CIRRUS_EDGE_REQUESTS_PER_MINUTE}, if set. */
  static EdgeThrottle fromSettings(Map<String, String> settings, Clock clock) {
    String value =
        Optional.ofNullable(settings.get("CIRRUS_EDGE_REQUESTS_PER_MINUTE"))
            .or(() -> Optional.ofNullable(System.getenv("CIRRUS_EDGE_REQUESTS_PER_MINUTE")))
            .orElse(Integer.toString(DEFAULT_PER_MINUTE));
    try {
      int perMinute = Integer.parseInt(value.trim());
      if (perMinute < 1) {
        throw new IllegalArgumentException();
      }
      return new EdgeThrottle(perMinute, clock);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "CIRRUS_EDGE_REQUESTS_PER_MINUTE must be a whole number of at least 1, got: " + value);
    }
  }

  /** Empty when the request may pass; else how long until the address has a request again. */
  synchronized Optional<Duration> take(String address) {
    long now = clock.millis();
    TokenBucket bucket =
        buckets.getOrDefault(address, TokenBucket.full(budget, now)).at(budget, now);
    if (!bucket.hasToken()) {
      buckets.put(address, bucket);
      return Optional.of(bucket.untilOneToken(budget));
    }
    buckets.put(address, bucket.takeOne());
    return Optional.empty();
  }
}
