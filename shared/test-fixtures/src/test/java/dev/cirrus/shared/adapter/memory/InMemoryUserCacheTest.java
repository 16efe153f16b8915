package dev.cirrus.shared.adapter.memory;

import dev.cirrus.shared.testing.MutableClock;
import dev.cirrus.shared.users.UserCache;
import dev.cirrus.shared.users.UserCacheContract;
import java.time.Duration;
import java.time.Instant;

class InMemoryUserCacheTest extends UserCacheContract {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-03T12:00:00Z"));
  private final InMemoryUserCache cache = new InMemoryUserCache(clock, TTL, MARK);

  @Override
  protected UserCache cache() {
    return cache;
  }

  @Override
  protected void pass(Duration time) {
    clock.advance(time);
  }
}
