package dev.cirrus.shared.processing;

import dev.cirrus.shared.error.Unavailable;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * How many bytes an instance may spool to local disk at once. On Cloud Functions (2nd gen) local
 * disk is memory: four concurrent images of the largest allowed size would spool 400 MiB into a 512
 * MiB instance. A spool waits until it fits; one larger than the whole budget is given the whole
 * budget, so it still runs, alone. Nothing is spooled without a {@link Reservation}, and a spool
 * never grows past the bytes reserved for it ({@link ObjectScan}).
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

  /** Room for {@link #bytes()} of spool, released once when closed. */
  public static final class Reservation implements AutoCloseable {
    private final long bytes;
    private final Runnable release;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Reservation(long bytes, Runnable release) {
      this.bytes = bytes;
      this.release = release;
    }

    /** The most a spool made under this reservation may hold. */
    public long bytes() {
      return bytes;
    }

    @Override
    public void close() {
      if (closed.compareAndSet(false, true)) {
        release.run();
      }
    }
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
    return new Reservation(bytes, () -> units.release(needed));
  }

  /** Bytes free right now, for tests and logs. */
  public long freeBytes() {
    return units.availablePermits() * UNIT;
  }
}
