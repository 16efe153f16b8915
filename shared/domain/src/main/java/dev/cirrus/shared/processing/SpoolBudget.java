package dev.cirrus.shared.processing;

import dev.cirrus.shared.error.Unavailable;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * How many bytes an instance may spool to local disk at once. On Cloud Functions (2nd gen) local
 * disk is memory: four concurrent images of the largest allowed size would spool 400 MiB into a 512
 * MiB instance. A spool waits until it fits; one larger than the whole budget is given the whole
 * budget, so it still runs, alone.
 */
public final class SpoolBudget {
  private static final long UNIT = 64 * 1024;

  private final Semaphore units;
  private final int total;
  private final Duration maxWait;

  public SpoolBudget(long bytes, Duration maxWait) {
    this.total = (int) Math.max(1, Math.min(Integer.MAX_VALUE, bytes / UNIT));
    this.units = new Semaphore(total, true);
    this.maxWait = maxWait;
  }

  /** Room for {@code bytes} of spool, released when closed. */
  public interface Reservation extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * @throws Unavailable when the room does not free up within the wait: the event is redelivered
   *     later, which is what a busy instance should ask for
   */
  public Reservation reserve(long bytes) {
    int needed = (int) Math.min(total, Math.max(1, (bytes + UNIT - 1) / UNIT));
    try {
      if (!units.tryAcquire(needed, maxWait.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new Unavailable(
            "no room to spool " + bytes + " bytes within " + maxWait.toSeconds() + " s", null);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Unavailable("interrupted while waiting to spool", e);
    }
    return () -> units.release(needed);
  }

  /** Bytes free right now, for tests and logs. */
  public long freeBytes() {
    return units.availablePermits() * UNIT;
  }
}
