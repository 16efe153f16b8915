package dev.cirrus.local.runner;

import dev.cirrus.local.emulators.EmulatorProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The function host run as Cloud Run runs an instance: when it exits or is killed, a replacement
 * starts at once (the deployed functions keep a minimum of instances, and Cloud Run replaces one
 * that crashes), the stack logs both, and the gateway holds requests meanwhile ({@link Instances}).
 * Pub/Sub redelivers what was in flight: the Eventarc bridge nacks a delivery that found no
 * instance.
 */
final class FunctionInstances implements Instances, AutoCloseable {
  /** Starts one instance; {@code replacement} when it stands in for one that died. */
  interface Launcher {
    EmulatorProcess launch(boolean replacement) throws IOException;
  }

  private static final Duration MIN_PENDING = Duration.ofSeconds(10);
  private static final Duration MAX_RELAUNCH_PAUSE = Duration.ofSeconds(10);

  private final Launcher launcher;
  private final Consumer<String> log;
  private final ExecutorService replacer =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "function-instances");
            t.setDaemon(true);
            return t;
          });
  private final Object lock = new Object();
  private EmulatorProcess current;
  private Path logFile;
  private boolean closed;
  private int replacements;
  private long startupNanos;
  private int starts;

  FunctionInstances(Launcher launcher, Consumer<String> log) {
    this.launcher = launcher;
    this.log = log;
  }

  /** Starts the first instance; requests held until then wait for it. */
  EmulatorProcess start() throws IOException {
    EmulatorProcess first = launcher.launch(false);
    if (!serve(first)) {
      throw new IllegalStateException("the stack stopped while its functions started");
    }
    return first;
  }

  /** Makes {@code process} the serving instance and watches it; false when already closed. */
  private boolean serve(EmulatorProcess process) {
    synchronized (lock) {
      if (closed) {
        process.close();
        return false;
      }
      current = process;
      logFile = process.log();
      startupNanos += process.startedIn().toNanos();
      starts++;
      lock.notifyAll();
    }
    process.onExit().thenAccept(code -> replacer.execute(() -> replace(process, code)));
    return true;
  }

  private void replace(EmulatorProcess dead, int code) {
    synchronized (lock) {
      if (closed || current != dead) {
        return;
      }
      current = null;
      replacements++;
    }
    log.accept(
        "  ↻ functions  exited with "
            + code
            + " (pid "
            + dead.pid()
            + "); starting a replacement, as Cloud Run replaces an instance");
    long started = System.nanoTime();
    for (int attempt = 1; ; attempt++) {
      synchronized (lock) {
        if (closed) {
          return;
        }
      }
      try {
        EmulatorProcess next = launcher.launch(true);
        if (serve(next)) {
          log.accept(
              String.format(
                  "  ✔ functions  replaced in %.1f s (pid %d)",
                  (System.nanoTime() - started) / 1e9, next.pid()));
        }
        return;
      } catch (IOException | RuntimeException e) {
        Duration pause = Duration.ofSeconds(Math.min(attempt, MAX_RELAUNCH_PAUSE.toSeconds()));
        log.accept("  ✘ functions  replacement failed (" + e.getMessage() + "); again in " + pause);
        synchronized (lock) {
          try {
            if (!closed) {
              lock.wait(pause.toMillis()); // close() wakes it
            }
          } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      }
    }
  }

  @Override
  public boolean supervised() {
    return true;
  }

  @Override
  public boolean awaitServing(Duration within) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    synchronized (lock) {
      while (!closed && (current == null || !current.alive())) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        // A killed process is seen dead before its replacement is under way: poll, briefly.
        lock.wait(Math.max(1, Math.min(left / 1_000_000, 50)));
      }
      return !closed;
    }
  }

  @Override
  public Duration pendingWindow() {
    synchronized (lock) {
      if (starts == 0) {
        return MIN_PENDING;
      }
      Duration average = Duration.ofNanos(startupNanos / starts);
      Duration pending = Duration.ofMillis(average.toMillis() * 7 / 2);
      return pending.compareTo(MIN_PENDING) > 0 ? pending : MIN_PENDING;
    }
  }

  /** The serving instance's process id; 0 while none serves. */
  long pid() {
    synchronized (lock) {
      return current == null ? 0 : current.pid();
    }
  }

  /** How many instances have been replaced since the start. */
  int replacements() {
    synchronized (lock) {
      return replacements;
    }
  }

  /** Every instance's output, one after another (replacements append to it). */
  Path log() {
    synchronized (lock) {
      return logFile;
    }
  }

  @Override
  public void close() {
    EmulatorProcess last;
    synchronized (lock) {
      closed = true;
      last = current;
      current = null;
      lock.notifyAll();
    }
    // Not interrupted: a replacement being launched finishes, sees the stack closed and stops
    // its process, so that nothing outlives the stack.
    replacer.shutdown();
    if (last != null) {
      last.close();
    }
    try {
      replacer.awaitTermination(70, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
