package dev.cirrus.local.emulators;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * One emulator child process: started with its output in a log file, ready once its HTTP probe
 * answers, stopped with its whole process tree (firebase-tools forks Java and Node children).
 */
public final class EmulatorProcess implements AutoCloseable {
  private static final HttpClient PROBE =
      HttpClient.newBuilder().connectTimeout(Duration.ofMillis(250)).build();

  private final String name;
  private final String host;
  private final Process process;
  private final Path log;
  private final Duration startedIn;

  private EmulatorProcess(String name, String host, Process process, Path log, Duration startedIn) {
    this.name = name;
    this.host = host;
    this.process = process;
    this.log = log;
    this.startedIn = startedIn;
  }

  /**
   * Starts {@code command} and waits until {@code http://host/probePath} answers 200.
   *
   * @throws IllegalStateException when the process dies or is not ready in time, with the tail of
   *     its log
   */
  public static EmulatorProcess start(
      String name,
      List<String> command,
      Path workDir,
      Map<String, String> env,
      String host,
      String probePath,
      Duration timeout)
      throws IOException {
    return start(name, command, workDir, env, host, probePath, true, timeout);
  }

  /**
   * Like {@link #start(String, List, Path, Map, String, String, Duration)}; with {@code requireOk}
   * false any HTTP answer counts as ready (for servers with no health route).
   */
  public static EmulatorProcess start(
      String name,
      List<String> command,
      Path workDir,
      Map<String, String> env,
      String host,
      String probePath,
      boolean requireOk,
      Duration timeout)
      throws IOException {
    return start(name, command, workDir, env, host, probePath, requireOk, LogFile.FRESH, timeout);
  }

  /** Whether a start begins its log anew or adds to what an earlier process of it wrote. */
  public enum LogFile {
    FRESH,
    /** A replacement of a process that died: its log, read as one, keeps the whole story. */
    APPENDED
  }

  /**
   * Like {@link #start(String, List, Path, Map, String, String, boolean, Duration)}, into a log.
   */
  public static EmulatorProcess start(
      String name,
      List<String> command,
      Path workDir,
      Map<String, String> env,
      String host,
      String probePath,
      boolean requireOk,
      LogFile logFile,
      Duration timeout)
      throws IOException {
    URI probe = URI.create("http://" + host + probePath);
    return launch(
        name, command, workDir, env, host, () -> answers(probe, requireOk), logFile, timeout);
  }

  /**
   * Starts {@code command} and waits until {@code ready} says so, for servers that do not speak
   * HTTP (Redis).
   */
  public static EmulatorProcess start(
      String name,
      List<String> command,
      Path workDir,
      Map<String, String> env,
      String host,
      BooleanSupplier ready,
      Duration timeout)
      throws IOException {
    return launch(name, command, workDir, env, host, ready, LogFile.FRESH, timeout);
  }

  private static EmulatorProcess launch(
      String name,
      List<String> command,
      Path workDir,
      Map<String, String> env,
      String host,
      BooleanSupplier ready,
      LogFile logFile,
      Duration timeout)
      throws IOException {
    Files.createDirectories(workDir);
    Path log = workDir.resolve(name + ".log");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(
                logFile == LogFile.APPENDED
                    ? ProcessBuilder.Redirect.appendTo(log.toFile())
                    : ProcessBuilder.Redirect.to(log.toFile()));
    // A developer's shell may hold another stack's endpoints; children get only what we pass.
    builder
        .environment()
        .keySet()
        .removeAll(
            List.of(
                "FIRESTORE_EMULATOR_HOST",
                "PUBSUB_EMULATOR_HOST",
                "FIREBASE_AUTH_EMULATOR_HOST",
                "STORAGE_EMULATOR_HOST",
                "GOOGLE_CLOUD_PROJECT",
                "GCLOUD_PROJECT",
                "K_SERVICE"));
    builder.environment().putAll(env);
    long started = System.nanoTime();
    Process process = builder.start();
    EmulatorProcess emulator = new EmulatorProcess(name, host, process, log, Duration.ZERO);
    long deadline = started + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            name + " exited with " + process.exitValue() + ":\n" + emulator.logTail());
      }
      if (ready.getAsBoolean()) {
        return new EmulatorProcess(
            name, host, process, log, Duration.ofNanos(System.nanoTime() - started));
      }
      sleep(100);
    }
    emulator.close();
    throw new IllegalStateException(
        name + " was not ready within " + timeout + ":\n" + emulator.logTail());
  }

  private static boolean answers(URI probe, boolean requireOk) {
    try {
      HttpResponse<Void> response =
          PROBE.send(
              HttpRequest.newBuilder(probe).timeout(Duration.ofSeconds(1)).GET().build(),
              HttpResponse.BodyHandlers.discarding());
      return !requireOk || response.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  public String name() {
    return name;
  }

  /** {@code host:port} clients connect to. */
  public String host() {
    return host;
  }

  public Duration startedIn() {
    return startedIn;
  }

  public long pid() {
    return process.pid();
  }

  public boolean alive() {
    return process.isAlive();
  }

  /** Completes with the exit code when the process ends, however it ends. */
  public CompletableFuture<Integer> onExit() {
    return process.onExit().thenApply(Process::exitValue);
  }

  public Path log() {
    return log;
  }

  public String logTail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    ProcessHandle handle = process.toHandle();
    List<ProcessHandle> children = handle.descendants().toList();
    handle.destroy();
    children.forEach(ProcessHandle::destroy);
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        handle.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      handle.destroyForcibly();
    }
    children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
