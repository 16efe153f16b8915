package dev.cirrus.shared.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

final class MutableClockTest extends ClockContract {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-02T10:00:00Z"));

  @Override
  protected Clock clock() {
    return clock;
  }

  @Override
  protected void letTimePass() {
    clock.advance(Duration.ofSeconds(1));
  }
}
