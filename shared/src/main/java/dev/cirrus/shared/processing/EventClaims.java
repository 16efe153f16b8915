package dev.cirrus.shared.processing;

import java.time.Duration;
import java.time.Instant;

/**
 * Port: who is handling which event ({@code processedEvents/{key}}). A claim is a lease: if its
 * holder dies, another delivery takes over once it expires.
 */
public interface EventClaims {

  /** What a claim attempt found. */
  enum State {
    /** The caller holds the claim now. */
    ACQUIRED,
    /** Another holder's lease is still running. */
    HELD,
    /** The event has been handled; nothing is left to do. */
    DONE
  }

  State claim(String key, String holder, Instant now, Duration lease);

  /** Records the outcome; the record expires (Firestore TTL) long after any redelivery. */
  void finish(String key, String holder, String outcome, Instant now);

  /** Gives the claim up after a transient failure, so a redelivery need not wait for the lease. */
  void release(String key, String holder);
}
