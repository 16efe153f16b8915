package dev.cirrus.shared.processing;

import java.time.Duration;
import java.time.Instant;

/**
 * Port: who is handling which event ({@code processedEvents/{key}}). A claim is a lease: if its
 * holder dies, another delivery takes over once it expires.
 */
public interface EventClaims {
  /** How long a record of an event is kept: far longer than Pub/Sub retries a message. */
  Duration RETENTION = Duration.ofDays(30);

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

  /**
   * Deletes up to {@code limit} records that expired before {@code now} (the TTL policy does the
   * same in production, within a day or so); safe to run concurrently.
   *
   * @return how many it deleted
   */
  int purgeExpired(Instant now, int limit);

  /**
   * Deletes up to {@code limit} records whose key starts with {@code keyPrefix}: an account
   * deletion removes those that name the user's objects.
   *
   * @return how many it deleted: fewer than {@code limit} when none are left
   */
  int forget(String keyPrefix, int limit);
}
