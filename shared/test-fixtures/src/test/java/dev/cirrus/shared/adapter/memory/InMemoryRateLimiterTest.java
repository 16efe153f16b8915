package dev.cirrus.shared.adapter.memory;

import dev.cirrus.shared.ratelimit.RateLimiter;
import dev.cirrus.shared.ratelimit.RateLimiterContract;
import dev.cirrus.shared.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;

class InMemoryRateLimiterTest extends RateLimiterContract {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-03T12:00:00Z"));
  private final InMemoryRateLimiter limiter = new InMemoryRateLimiter(clock);

  @Override
  protected RateLimiter limiter() {
    return limiter;
  }

  @Override
  protected void pass(Duration time) {
    clock.advance(time);
  }
}
