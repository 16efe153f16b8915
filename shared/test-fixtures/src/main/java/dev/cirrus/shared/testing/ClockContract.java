package dev.cirrus.shared.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/**
 * What the code expects of its clock port ({@link Clock}): UTC, and time that never runs backwards.
 * Run against the production clock and the one tests move by hand.
 */
abstract class ClockContract {
  protected abstract Clock clock();

  /** Lets time pass, as the clock under test does. */
  protected abstract void letTimePass();

  @Test
  void timesAreUtc() {
    assertThat(clock().getZone()).isEqualTo(ZoneOffset.UTC);
  }

  @Test
  void timeNeverRunsBackwards() {
    Instant before = clock().instant();
    letTimePass();
    assertThat(clock().instant()).isAfterOrEqualTo(before);
  }

  @Test
  void millisAgreeWithTheInstant() {
    Instant now = clock().instant();
    assertThat(clock().millis()).isGreaterThanOrEqualTo(now.toEpochMilli());
  }
}
