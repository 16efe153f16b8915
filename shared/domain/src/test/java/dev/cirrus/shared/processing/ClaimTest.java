package dev.cirrus.shared.processing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cirrus.shared.processing.EventClaims.State;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The claim rules alone, no store: what every adapter decides. */
class ClaimTest {
  private static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");
  private static final Duration LEASE = Duration.ofSeconds(60);

  @Test
  void aTakeOverCountsAsAnotherAttempt() {
    Claim.Decision first = Claim.claim(Optional.empty(), "a", T0, LEASE);
    assertThat(first.write()).contains(new Claim(false, "a", T0.plus(LEASE), 1));
    Claim.Decision second = Claim.claim(first.write(), "b", T0.plusSeconds(61), LEASE);
    assertThat(second.state()).isEqualTo(State.ACQUIRED);
    assertThat(second.write()).contains(new Claim(false, "b", T0.plusSeconds(121), 2));
  }

  @Test
  void refusalsWriteNothing() {
    Optional<Claim> held = Optional.of(new Claim(false, "a", T0.plus(LEASE), 1));
    assertThat(Claim.claim(held, "b", T0, LEASE).write()).isEmpty();
    Optional<Claim> done = Optional.of(new Claim(true, "a", T0, 1));
    assertThat(Claim.claim(done, "a", T0, LEASE))
        .isEqualTo(new Claim.Decision(State.DONE, Optional.empty()));
  }

  @Test
  void releaseEndsTheLeaseOfItsOwnHolderOnly() {
    Optional<Claim> held = Optional.of(new Claim(false, "a", T0.plus(LEASE), 3));
    assertThat(Claim.release(held, "a")).contains(new Claim(false, "a", Instant.EPOCH, 3));
    assertThat(Claim.release(held, "b")).isEmpty();
    assertThat(Claim.release(Optional.of(new Claim(true, "a", T0, 1)), "a")).isEmpty();
  }
}
