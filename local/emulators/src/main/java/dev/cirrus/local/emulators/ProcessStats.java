package dev.cirrus.local.emulators;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What Linux's {@code /proc} says of a process: CPU time and resident memory. One reader for every
 * benchmark; each figure is 0 or empty once the process is gone.
 */
public final class ProcessStats {
  /** USER_HZ: the clock ticks per second {@code /proc/PID/stat} counts in, on every Linux. */
  private static final double TICKS_PER_SECOND = 100.0;

  private ProcessStats() {}

  /** User plus system CPU seconds the process has used so far. */
  public static double cpuSeconds(long pid) {
    return cpuSeconds(Path.of("/proc", Long.toString(pid))).orElse(0.0);
  }

  /** Its resident set size in KiB ({@code VmRSS}). */
  public static long rssKib(long pid) {
    try {
      List<String> lines = Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"));
      for (String line : lines) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | NumberFormatException gone) {
      // the process ended
    }
    return 0;
  }

  /**
   * CPU seconds used so far by every process whose command line contains one of {@code parts}'
   * keys, summed under that key's value. The first key that matches wins: put specific names before
   * names that other command lines contain too (class paths name many libraries).
   */
  public static Map<String, Double> cpuSecondsByCommand(LinkedHashMap<String, String> parts)
      throws IOException {
    Map<String, Double> result = new TreeMap<>();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        Optional<String> command = commandLine(proc);
        if (command.isEmpty()) {
          continue;
        }
        for (Map.Entry<String, String> part : parts.entrySet()) {
          if (command.get().contains(part.getKey())) {
            cpuSeconds(proc).ifPresent(s -> result.merge(part.getValue(), s, Double::sum));
            break;
          }
        }
      }
    }
    return result;
  }

  private static Optional<String> commandLine(Path proc) {
    try {
      return Optional.of(
          new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8)
              .replace('\0', ' '));
    } catch (IOException gone) {
      return Optional.empty();
    }
  }

  private static Optional<Double> cpuSeconds(Path proc) {
    try {
      String stat = Files.readString(proc.resolve("stat"));
      // The command name may hold spaces and parentheses: the fields start after the last ')'.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Optional.of((Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND);
    } catch (IOException | RuntimeException gone) {
      return Optional.empty();
    }
  }
}
