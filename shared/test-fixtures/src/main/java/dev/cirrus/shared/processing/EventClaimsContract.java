package dev.cirrus.shared.processing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cirrus.shared.processing.EventClaims.State;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link EventClaims} adapter must have; one subclass per adapter. */
public abstract class EventClaimsContract {
  private static final Duration LEASE = Duration.ofSeconds(60);
  private final Instant t0 = Instant.parse("2026-12-02T10:00:00Z");

  protected abstract EventClaims claims();

  private static String key() {
    return "bucket/uploads/u/" + UUID.randomUUID() + "#1";
  }

  @Test
  void firstDeliveryAcquiresTheEvent() {
    assertThat(claims().claim(key(), "a", t0, LEASE)).isEqualTo(State.ACQUIRED);
  }

  @Test
  void anotherHolderIsHeldOffWhileTheLeaseRuns() {
    String key = key();
    claims().claim(key, "a", t0, LEASE);
    assertThat(claims().claim(key, "b", t0.plusSeconds(59), LEASE)).isEqualTo(State.HELD);
  }

  @Test
  void anotherHolderTakesOverOnceTheLeaseRanOut() {
    String key = key();
    claims().claim(key, "a", t0, LEASE);
    assertThat(claims().claim(key, "b", t0.plusSeconds(61), LEASE)).isEqualTo(State.ACQUIRED);
    assertThat(claims().claim(key, "a", t0.plusSeconds(62), LEASE))
        .as("the old holder lost it")
        .isEqualTo(State.HELD);
  }

  @Test
  void theHolderMayClaimAgain() {
    String key = key();
    claims().claim(key, "a", t0, LEASE);
    assertThat(claims().claim(key, "a", t0.plusSeconds(1), LEASE)).isEqualTo(State.ACQUIRED);
  }

  @Test
  void aFinishedEventIsDoneForEveryone() {
    String key = key();
    claims().claim(key, "a", t0, LEASE);
    claims().finish(key, "a", "ready", t0.plusSeconds(1));
    assertThat(claims().claim(key, "a", t0.plusSeconds(2), LEASE)).isEqualTo(State.DONE);
    assertThat(claims().claim(key, "b", t0.plus(Duration.ofDays(2)), LEASE)).isEqualTo(State.DONE);
  }

  @Test
  void aReleasedEventIsFreeAtOnce() {
    String key = key();
    claims().claim(key, "a", t0, LEASE);
    claims().release(key, "a");
    assertThat(claims().claim(key, "b", t0.plusSeconds(1), LEASE)).isEqualTo(State.ACQUIRED);
  }

  @Test
  void onlyTheHolderCanReleaseAndNothingUndoesFinish() {
    String key = key();
    claims().claim(key, "a", t0, LEASE);
    claims().release(key, "b");
    assertThat(claims().claim(key, "b", t0.plusSeconds(1), LEASE)).isEqualTo(State.HELD);
    claims().finish(key, "a", "ready", t0.plusSeconds(2));
    claims().release(key, "a");
    assertThat(claims().claim(key, "b", t0.plusSeconds(3), LEASE)).isEqualTo(State.DONE);
  }

  @Test
  void concurrentFirstDeliveriesAcquireOnce() {
    String key = key();
    List<CompletableFuture<State>> calls = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      String holder = "h" + i;
      calls.add(CompletableFuture.supplyAsync(() -> claims().claim(key, holder, t0, LEASE)));
    }
    assertThat(calls.stream().map(CompletableFuture::join).filter(s -> s == State.ACQUIRED))
        .hasSize(1);
  }

  @Test
  void recordsPastTheirRetentionArePurgedAndNewerOnesKept() {
    String old = key();
    String fresh = key();
    claims().claim(old, "a", t0.minus(EventClaims.RETENTION).minusSeconds(3600), LEASE);
    claims().claim(fresh, "a", t0, LEASE);
    while (claims().purgeExpired(t0, 100) == 100) {
      // other tests' old records, in the shared emulator
    }
    assertThat(claims().claim(old, "b", t0, LEASE))
        .as("gone: a new claim")
        .isEqualTo(State.ACQUIRED);
    assertThat(claims().claim(fresh, "b", t0, LEASE)).as("kept: still held").isEqualTo(State.HELD);
  }

  @Test
  void recordsUnderAPrefixAreForgottenInBoundedStepsAndNoOthers() {
    String prefix = "bucket/uploads/gone-" + UUID.randomUUID() + "/";
    for (String id : List.of("a#1", "b#1", "c#1")) {
      claims().claim(prefix + id, "h", t0, LEASE);
    }
    String kept = "bucket/uploads/kept-" + UUID.randomUUID() + "/a#1";
    claims().claim(kept, "h", t0, LEASE);
    claims().finish(kept, "h", "READY", t0);

    assertThat(claims().forget(prefix, 2)).isEqualTo(2);
    assertThat(claims().forget(prefix, 2)).isEqualTo(1);
    assertThat(claims().forget(prefix, 2)).isZero();
    assertThat(claims().claim(prefix + "a#1", "other", t0, LEASE))
        .as("forgotten: a redelivery would be processed as new, and finds nothing")
        .isEqualTo(State.ACQUIRED);
    assertThat(claims().claim(kept, "other", t0, LEASE)).isEqualTo(State.DONE);
  }
}
