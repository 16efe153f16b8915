package dev.cirrus.shared.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cirrus.shared.adapter.memory.InMemoryRateLimiter;
import dev.cirrus.shared.config.RateLimitPolicy;
import dev.cirrus.shared.config.RouteClass;
import dev.cirrus.shared.error.TooManyRequests;
import dev.cirrus.shared.error.Unavailable;
import dev.cirrus.shared.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RateLimitGateTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-03T12:00:00Z"));
  private final RateLimitGate gate =
      new RateLimitGate(RateLimitPolicy.DEFAULTS, new InMemoryRateLimiter(clock));

  private int servedOf(int requests, String uid, String address) {
    int served = 0;
    for (int i = 0; i < requests; i++) {
      try {
        gate.check(RouteClass.READ, uid, address);
        served++;
      } catch (TooManyRequests e) {
        assertThat(e.retryAfter()).isPositive();
      }
      clock.advance(Duration.ofMillis(10)); // 1,000 in ten seconds
    }
    return served;
  }

  @Test
  void aThousandReadsInTenSecondsFromOneUserAreRefusedInPart() {
    int served = servedOf(1000, "alice", "203.0.113.7");
    // 300 at once, then 5 a second for ten seconds.
    assertThat(served).isBetween(340, 360);
    assertThat(gate.limitedCount()).isEqualTo(1000 - served);
  }

  @Test
  void oneUsersBurstLeavesTheOthersBehindTheSameAddressServed() {
    servedOf(1000, "alice", "203.0.113.7");
    assertThat(servedOf(100, "bob", "203.0.113.7")).isEqualTo(100);
  }

  @Test
  void anOrdinaryAppSessionNeverMeetsTheLimit() {
    // A screen refreshed every few seconds for an hour, and a burst of 50 on opening the app.
    for (int i = 0; i < 50; i++) {
      gate.check(RouteClass.READ, "carol", "198.51.100.1");
    }
    for (int i = 0; i < 1200; i++) {
      gate.check(RouteClass.READ, "carol", "198.51.100.1");
      gate.check(RouteClass.WRITE, "carol", "198.51.100.1");
      clock.advance(Duration.ofSeconds(3));
    }
    assertThat(gate.limitedCount()).isZero();
  }

  @Test
  void theRefusalSaysWhenToComeBackAndTheLimitResetsOnItsOwn() {
    RateLimitGate tight =
        new RateLimitGate(
            RateLimitPolicy.fromEnvironment(Map.of("CIRRUS_RATE_WRITES_PER_USER", "2/10s")),
            new InMemoryRateLimiter(clock));
    tight.check(RouteClass.WRITE, "dave", "192.0.2.1");
    tight.check(RouteClass.WRITE, "dave", "192.0.2.1");
    assertThatThrownBy(() -> tight.check(RouteClass.WRITE, "dave", "192.0.2.1"))
        .isInstanceOfSatisfying(
            TooManyRequests.class,
            e -> {
              assertThat(e.code()).isEqualTo("rate-limited");
              assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(5));
              assertThat(e.policy()).isEqualTo("writes");
              assertThat(e.quota()).isEqualTo(2);
            });
    clock.advance(Duration.ofSeconds(5));
    assertThat(tight.check(RouteClass.WRITE, "dave", "192.0.2.1").decision()).isPresent();
  }

  @Test
  void aLimiterThatCannotAnswerLetsTheRequestThroughAndCountsIt() {
    RateLimitGate down =
        new RateLimitGate(
            RateLimitPolicy.DEFAULTS,
            buckets -> {
              throw new Unavailable("Redis is down", null);
            });
    RateLimitGate.Verdict verdict = down.check(RouteClass.UPLOAD, "erin", "192.0.2.9");
    assertThat(verdict.failedOpen()).isTrue();
    assertThat(down.failedOpenCount()).isEqualTo(1);
  }
}
