package dev.cirrus.shared.testing;

import java.time.Clock;

final class SystemClockTest extends ClockContract {
  private final Clock clock = Clock.systemUTC();

  @Override
  protected Clock clock() {
    return clock;
  }

  @Override
  protected void letTimePass() {
    Thread.onSpinWait();
  }
}
