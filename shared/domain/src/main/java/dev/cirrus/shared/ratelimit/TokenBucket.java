package dev.cirrus.shared.ratelimit;

import dev.cirrus.shared.config.RateBudget;
import java.time.Duration;

/**
 * The token-bucket arithmetic, in one place for the in-memory limiter; the Redis limiter runs the
 * same steps in its script, on the Redis server's clock (so instances whose clocks differ still
 * share one bucket).
 *
 * @param tokens what the bucket holds at {@code atMillis}
 */
public record TokenBucket(double tokens, long atMillis) {

  public static TokenBucket full(RateBudget budget, long nowMillis) {
    return new TokenBucket(budget.capacity(), nowMillis);
  }

  /**
   * The bucket at {@code nowMillis}, refilled for the time since; a clock that went back adds
   * nothing.
   */
  public TokenBucket at(RateBudget budget, long nowMillis) {
    if (nowMillis <= atMillis) {
      return this;
    }
    double refilled = tokens + (nowMillis - atMillis) * budget.perSecond() / 1000.0;
    return new TokenBucket(Math.min(budget.capacity(), refilled), nowMillis);
  }

  public boolean hasToken() {
    return tokens >= 1.0;
  }

  public TokenBucket takeOne() {
    return new TokenBucket(tokens - 1.0, atMillis);
  }

  public Duration untilOneToken(RateBudget budget) {
    return hasToken() ? Duration.ZERO : millis((1.0 - tokens) * 1000.0 / budget.perSecond());
  }

  public Duration untilFull(RateBudget budget) {
    return millis((budget.capacity() - tokens) * 1000.0 / budget.perSecond());
  }

  private static Duration millis(double ms) {
    return Duration.ofMillis((long) Math.ceil(Math.max(0, ms)));
  }
}
