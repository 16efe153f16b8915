package dev.cirrus.shared.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cirrus.shared.config.RateBudget;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link RateLimiter} adapter must have; one subclass per adapter. */
public abstract class RateLimiterContract {
  protected abstract RateLimiter limiter();

  /** Lets time pass for the limiter: a test clock moves, a real server is waited for. */
  protected abstract void pass(Duration time) throws InterruptedException;

  private static Bucket bucket(long capacity, Duration refill) {
    return new Bucket("test:" + UUID.randomUUID(), new RateBudget(capacity, refill));
  }

  @Test
  void aFullBucketGivesItsCapacityThenRefusesUntilATokenIsBack() {
    Bucket b = bucket(3, Duration.ofHours(1));
    for (int i = 2; i >= 0; i--) {
      RateLimiter.Decision d = limiter().take(List.of(b));
      assertThat(d.allowed()).isTrue();
      assertThat(d.remaining()).isEqualTo(i);
    }
    RateLimiter.Decision refused = limiter().take(List.of(b));
    assertThat(refused.allowed()).isFalse();
    assertThat(refused.remaining()).isZero();
    // 3 an hour: one token every 20 minutes.
    assertThat(refused.retryAfter())
        .isGreaterThan(Duration.ofMinutes(19))
        .isLessThanOrEqualTo(Duration.ofMinutes(20));
    assertThat(refused.reset()).isGreaterThan(Duration.ofMinutes(59));
  }

  @Test
  void twoBucketsAreTakenFromTogetherOrNotAtAll() {
    Bucket wide = bucket(5, Duration.ofHours(1));
    Bucket narrow = bucket(2, Duration.ofHours(1));
    assertThat(limiter().take(List.of(wide, narrow)).allowed()).isTrue();
    assertThat(limiter().take(List.of(wide, narrow)).allowed()).isTrue();
    RateLimiter.Decision refused = limiter().take(List.of(wide, narrow));
    assertThat(refused.allowed()).isFalse();
    // The refusal took nothing from the bucket that still had tokens.
    assertThat(limiter().take(List.of(wide)).remaining()).isEqualTo(2);
  }

  @Test
  void anEmptyBucketRefillsWithTime() throws InterruptedException {
    Bucket b = bucket(2, Duration.ofSeconds(1));
    limiter().take(List.of(b));
    limiter().take(List.of(b));
    assertThat(limiter().take(List.of(b)).allowed()).isFalse();
    pass(Duration.ofMillis(1100));
    RateLimiter.Decision after = limiter().take(List.of(b));
    assertThat(after.allowed()).isTrue();
    assertThat(after.remaining()).isEqualTo(1);
  }

  @Test
  void bucketsOfDifferentKeysAreApart() {
    Bucket mine = bucket(1, Duration.ofHours(1));
    Bucket yours = bucket(1, Duration.ofHours(1));
    assertThat(limiter().take(List.of(mine)).allowed()).isTrue();
    assertThat(limiter().take(List.of(mine)).allowed()).isFalse();
    assertThat(limiter().take(List.of(yours)).allowed()).isTrue();
  }
}
