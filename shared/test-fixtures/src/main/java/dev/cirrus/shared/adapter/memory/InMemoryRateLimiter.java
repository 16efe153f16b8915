package dev.cirrus.shared.adapter.memory;

import dev.cirrus.shared.ratelimit.Bucket;
import dev.cirrus.shared.ratelimit.RateLimiter;
import dev.cirrus.shared.ratelimit.TokenBucket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@link RateLimiter} in one process, on a clock the test controls. */
public final class InMemoryRateLimiter implements RateLimiter {
  private final Clock clock;
  private final Map<String, TokenBucket> buckets = new HashMap<>();

  public InMemoryRateLimiter(Clock clock) {
    this.clock = clock;
  }

  @Override
  public synchronized Decision take(List<Bucket> wanted) {
    long now = clock.millis();
    List<TokenBucket> current = new ArrayList<>();
    boolean allowed = true;
    for (Bucket b : wanted) {
      TokenBucket bucket =
          buckets.getOrDefault(b.key(), TokenBucket.full(b.budget(), now)).at(b.budget(), now);
      current.add(bucket);
      allowed &= bucket.hasToken();
    }
    long remaining = Long.MAX_VALUE;
    Duration retry = Duration.ZERO;
    Duration reset = Duration.ZERO;
    for (int i = 0; i < wanted.size(); i++) {
      Bucket b = wanted.get(i);
      TokenBucket bucket = allowed ? current.get(i).takeOne() : current.get(i);
      buckets.put(b.key(), bucket);
      remaining = Math.min(remaining, (long) Math.floor(bucket.tokens()));
      retry = max(retry, bucket.untilOneToken(b.budget()));
      reset = max(reset, bucket.untilFull(b.budget()));
    }
    return new Decision(allowed, Math.max(0, remaining), retry, reset);
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
