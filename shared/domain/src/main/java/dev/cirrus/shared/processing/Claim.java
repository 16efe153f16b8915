package dev.cirrus.shared.processing;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Who is handling an event, and the rule for taking it over: the state {@link EventClaims} keeps,
 * and the decisions every adapter applies, as plain code.
 *
 * @param done true once the event has been handled for good
 * @param leaseUntil until when {@code holder} may work undisturbed
 * @param attempts how many holders have started on it
 */
public record Claim(boolean done, String holder, Instant leaseUntil, long attempts) {

  /** A claim attempt's verdict, and the claim to store when it is {@code ACQUIRED}. */
  public record Decision(EventClaims.State state, Optional<Claim> write) {}

  /**
   * What {@code holder} gets when it asks for the event at {@code now}: the event if nobody holds
   * it, if the holder's lease ran out, or if it already holds it; never an event already done.
   */
  public static Decision claim(
      Optional<Claim> existing, String holder, Instant now, Duration lease) {
    if (existing.isEmpty()) {
      return new Decision(
          EventClaims.State.ACQUIRED, Optional.of(new Claim(false, holder, now.plus(lease), 1)));
    }
    Claim current = existing.get();
    if (current.done()) {
      return new Decision(EventClaims.State.DONE, Optional.empty());
    }
    if (!current.holder().equals(holder) && current.leaseUntil().isAfter(now)) {
      return new Decision(EventClaims.State.HELD, Optional.empty());
    }
    return new Decision(
        EventClaims.State.ACQUIRED,
        Optional.of(new Claim(false, holder, now.plus(lease), current.attempts() + 1)));
  }

  /**
   * The claim after its holder gave it up: free at once for the next delivery. Only the holder may
   * release it, and a finished claim stays finished.
   */
  public static Optional<Claim> release(Optional<Claim> existing, String holder) {
    return existing
        .filter(c -> !c.done() && c.holder().equals(holder))
        .map(c -> new Claim(false, c.holder(), Instant.EPOCH, c.attempts()));
  }
}
