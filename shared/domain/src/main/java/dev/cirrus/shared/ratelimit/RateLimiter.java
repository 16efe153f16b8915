package dev.cirrus.shared.ratelimit;

import dev.cirrus.shared.error.Unavailable;
import java.time.Duration;
import java.util.List;

/** Port: token buckets shared by every instance (Redis in production, Memorystore). */
public interface RateLimiter {
  /**
   * Takes one token from every bucket, atomically: from all of them, or, when any is empty, from
   * none. Buckets start full and refill continuously at capacity/refill.
   *
   * @throws Unavailable when the store does not answer in time or answers nonsense
   */
  Decision take(List<Bucket> buckets);

  /**
   * @param allowed whether the tokens were taken
   * @param remaining the fewest tokens left in any of the buckets
   * @param retryAfter when refused, how long until the emptiest bucket holds a token again
   * @param reset how long until the emptiest bucket is full again
   */
  record Decision(boolean allowed, long remaining, Duration retryAfter, Duration reset) {}
}
