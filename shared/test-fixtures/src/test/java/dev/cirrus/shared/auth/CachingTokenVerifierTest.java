package dev.cirrus.shared.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cirrus.shared.error.Unauthenticated;
import dev.cirrus.shared.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CachingTokenVerifierTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T12:00:00Z"));
  private final AtomicInteger calls = new AtomicInteger();
  private final TokenVerifier counting =
      token -> {
        calls.incrementAndGet();
        if (token.equals("bad")) {
          throw new Unauthenticated("nope");
        }
        return new VerifiedToken(
            new Principal("u1", Optional.empty(), Set.of()),
            clock.instant().plus(Duration.ofMinutes(10)));
      };
  private final CachingTokenVerifier cache =
      new CachingTokenVerifier(counting, clock, Duration.ofHours(1), 100);

  @Test
  void aVerifiedTokenIsVerifiedOnceUntilItExpires() {
    cache.verify("t");
    cache.verify("t");
    assertThat(calls).hasValue(1);
    clock.advance(Duration.ofMinutes(11));
    cache.verify("t");
    assertThat(calls).hasValue(2);
  }

  @Test
  void refusalsAreNotCached() {
    assertThatThrownBy(() -> cache.verify("bad")).isInstanceOf(Unauthenticated.class);
    assertThatThrownBy(() -> cache.verify("bad")).isInstanceOf(Unauthenticated.class);
    assertThat(calls).hasValue(2);
  }
}
