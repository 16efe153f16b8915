package dev.cirrus.shared.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Remembers verified tokens until they expire (or {@code maxAge}, whichever is first), so a warm
 * instance verifies each token once. Only successes are cached: a refused token is checked again
 * next time, which keeps a transient key-fetch failure from locking a user out.
 */
public final class CachingTokenVerifier implements TokenVerifier {
  private final TokenVerifier delegate;
  private final Clock clock;
  private final Cache<String, VerifiedToken> cache;

  public CachingTokenVerifier(
      TokenVerifier delegate, Clock clock, Duration maxAge, long maximumSize) {
    this.delegate = delegate;
    this.clock = clock;
    this.cache =
        Caffeine.newBuilder()
            .maximumSize(maximumSize)
            .ticker(ticker(clock))
            .expireAfter(new UntilTokenExpiry(clock, maxAge))
            .build();
  }

  @Override
  public VerifiedToken verify(String idToken) {
    VerifiedToken cached = cache.getIfPresent(idToken);
    if (cached != null && cached.expiresAt().isAfter(clock.instant())) {
      return cached;
    }
    VerifiedToken verified = delegate.verify(idToken);
    cache.put(idToken, verified);
    return verified;
  }

  @Override
  public void warmUp() {
    delegate.warmUp();
  }

  private static Ticker ticker(Clock clock) {
    return () -> {
      Instant now = clock.instant();
      return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    };
  }

  private record UntilTokenExpiry(Clock clock, Duration maxAge)
      implements Expiry<String, VerifiedToken> {
    @Override
    public long expireAfterCreate(String key, VerifiedToken value, long currentTime) {
      Duration left = Duration.between(clock.instant(), value.expiresAt());
      Duration ttl = left.compareTo(maxAge) < 0 ? left : maxAge;
      return Math.max(0, ttl.toNanos());
    }

    @Override
    public long expireAfterUpdate(
        String key, VerifiedToken value, long currentTime, long currentDuration) {
      return expireAfterCreate(key, value, currentTime);
    }

    @Override
    public long expireAfterRead(
        String key, VerifiedToken value, long currentTime, long currentDuration) {
      return currentDuration;
    }
  }
}
