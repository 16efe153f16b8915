package dev.cirrus.local.runner;

import dev.cirrus.local.emulators.EmulatorProcess;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** The lines the stack prints as its parts come up, and the parallel start of a process. */
final class StartProgress {
  private StartProgress() {}

  interface Start {
    EmulatorProcess start() throws IOException;
  }

  static CompletableFuture<EmulatorProcess> async(Start start, Progress report) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            EmulatorProcess p = start.start();
            report.line(p.name(), p.host(), p.startedIn());
            return p;
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  static final class Progress {
    private final PrintStream out;
    private final long t0;

    Progress(PrintStream out, long t0) {
      this.out = out;
      this.t0 = t0;
    }

    synchronized void line(String name, String where, Duration took) {
      out.printf("  ✔ %-10s %-42s %5.1f s%n", name, where, took.toMillis() / 1000.0);
      out.flush();
    }
  }
}
