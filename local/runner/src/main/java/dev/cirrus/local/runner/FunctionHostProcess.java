package dev.cirrus.local.runner;

import dev.cirrus.local.emulators.EmulatorProcess;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The JVM that hosts every function behind the Functions Framework invoker, as a child process. */
final class FunctionHostProcess {
  private FunctionHostProcess() {}

  /**
   * @param replacement a new instance for one that died: it starts at normal priority (nothing else
   *     is starting then) and its output goes on in the same log
   */
  static EmulatorProcess start(
      List<String> hostArgs,
      Map<String, URI> urls,
      Map<String, String> env,
      Path stateDir,
      boolean replacement)
      throws IOException {
    List<String> command = new ArrayList<>();
    if (!replacement) {
      // Niced: the Auth emulator is the critical path of a start, and it is CPU-bound.
      command.addAll(List.of("nice", "-n", "19"));
    }
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(
        List.of(
            "-XX:+UseSerialGC",
            // Full tiered compilation: process-upload hashes and scales images, loops that C1
            // alone (and no MD5/SHA intrinsics) runs several times slower.
            "-Xss512k",
            "-Xmx256m",
            "-XX:MinHeapFreeRatio=10",
            "-XX:MaxHeapFreeRatio=30",
            "-XX:ReservedCodeCacheSize=64m",
            "-XX:+ExitOnOutOfMemoryError",
            "-cp",
            absoluteClasspath(),
            FunctionHostMain.class.getName()));
    command.addAll(hostArgs);
    URI last = new ArrayList<>(urls.values()).get(urls.size() - 1);
    return EmulatorProcess.start(
        "functions",
        command,
        stateDir.resolve("functions"),
        env,
        last.getHost() + ":" + last.getPort(),
        "/",
        false,
        replacement ? EmulatorProcess.LogFile.APPENDED : EmulatorProcess.LogFile.FRESH,
        Duration.ofSeconds(60));
  }

  /**
   * The function host and the emulator JVMs start niced so that they stay off the Auth emulator's
   * critical path (up in ~8 s instead of ~10.5 s here); once everything is up they are the busy
   * part, and niced they lose the CPU to any other program, a benchmark's client included. Nice
   * values belong to threads on Linux, so every thread is reniced; threads started later inherit
   * from these. Only root (or CAP_SYS_NICE) may lower a nice value, so elsewhere they stay niced,
   * which costs throughput, not correctness.
   */
  static void restoreNormalPriority(long pid) {
    List<String> command = new ArrayList<>(List.of("renice", "-n", "0", "-p"));
    try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
      tasks.forEach(task -> command.add(task.getFileName().toString()));
    } catch (IOException e) {
      return; // not Linux, or the process is gone
    }
    try {
      new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start()
          .waitFor(5, TimeUnit.SECONDS);
    } catch (IOException e) {
      // no renice here: leave it niced
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The host runs in its own directory, so relative class path entries would break. */
  static String absoluteClasspath() {
    return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .map(entry -> Path.of(entry).toAbsolutePath().toString())
        .collect(Collectors.joining(File.pathSeparator));
  }
}
