package dev.cirrus.shared.webhooks;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The webhooks' clock reads, in milliseconds: Firestore keeps timestamps to the microsecond, and a
 * lease is recognised by comparing what was written with what is read back, so it must survive the
 * round trip exactly.
 */
final class Times {
  private Times() {}

  static Instant now(Clock clock) {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }
}
