package dev.cirrus.shared.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cirrus.shared.config.RateBudget;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TokenBucketTest {
  private static final RateBudget TEN_A_SECOND = new RateBudget(10, Duration.ofSeconds(1));

  @Test
  void aBucketRefillsWithTimeButNeverPastItsCapacity() {
    TokenBucket empty = new TokenBucket(0, 1_000);
    assertThat(empty.at(TEN_A_SECOND, 1_500).tokens()).isEqualTo(5.0);
    assertThat(empty.at(TEN_A_SECOND, 60_000).tokens()).isEqualTo(10.0);
  }

  @Test
  void aClockThatGoesBackAddsNothingAndTakesNothing() {
    // Instances and servers disagree by a little; a bucket seen from an earlier clock stays as is.
    TokenBucket half = new TokenBucket(5, 10_000);
    TokenBucket seenEarlier = half.at(TEN_A_SECOND, 9_000);
    assertThat(seenEarlier.tokens()).isEqualTo(5.0);
    assertThat(seenEarlier.atMillis()).isEqualTo(10_000);
  }

  @Test
  void theWaitIsForTheMissingFractionOfOneToken() {
    TokenBucket nearlyOne = new TokenBucket(0.75, 0);
    assertThat(nearlyOne.hasToken()).isFalse();
    assertThat(nearlyOne.untilOneToken(TEN_A_SECOND)).isEqualTo(Duration.ofMillis(25));
    assertThat(nearlyOne.untilFull(TEN_A_SECOND)).isEqualTo(Duration.ofMillis(925));
    assertThat(TokenBucket.full(TEN_A_SECOND, 0).untilOneToken(TEN_A_SECOND)).isZero();
  }
}
