package dev.cirrus.local.emulators;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/** Starts each emulator the fastest way measured on these machines (see ENVIRONMENT.md). */
public final class Emulators {
  public static final String LOOPBACK = "127.0.0.1";

  /** On every emulator JVM's command line, so a crashed run's leftovers can be found. */
  public static final String MARKER = "-Dcirrus.emulator=true";

  private Emulators() {}

  /**
   * How an emulator JVM is tuned. {@code QUICK_START} (the local stack, tests): niced, so the
   * CPU-bound Auth emulator start stays ahead, C1 only and a small shrinking heap. {@code
   * THROUGHPUT} (benchmarks): normal priority and the full JIT.
   */
  public enum Tuning {
    QUICK_START,
    THROUGHPUT
  }

  private static List<String> jvm(Tuning tuning) {
    List<String> command = new ArrayList<>();
    if (tuning == Tuning.QUICK_START) {
      command.addAll(List.of("nice", "-n", "19"));
    }
    command.addAll(List.of(java(), MARKER, "-Xss512k", "-Xmx512m", "-XX:+UseSerialGC"));
    if (tuning == Tuning.QUICK_START) {
      command.addAll(
          List.of(
              "-XX:MinHeapFreeRatio=10",
              "-XX:MaxHeapFreeRatio=30",
              "-XX:ReservedCodeCacheSize=32m",
              "-XX:TieredStopAtLevel=1"));
    }
    return command;
  }

  /** The Firestore emulator jar from the Cloud SDK (no Main-Class, so not {@code -jar}). */
  public static EmulatorProcess firestore(int port, String projectId, Path workDir)
      throws IOException {
    return firestore(port, projectId, workDir, Tuning.QUICK_START);
  }

  public static EmulatorProcess firestore(int port, String projectId, Path workDir, Tuning tuning)
      throws IOException {
    return firestore(port, projectId, workDir, tuning, Optional.empty());
  }

  /**
   * @param rules security rules to enforce on clients; without them the emulator allows everything.
   *     Servers are unaffected either way: Google's clients send {@code Bearer owner} to the
   *     emulator, which bypasses rules as admin credentials do in production.
   */
  public static EmulatorProcess firestore(
      int port, String projectId, Path workDir, Tuning tuning, Optional<Path> rules)
      throws IOException {
    return firestore(port, projectId, workDir, tuning, rules, Optional.empty());
  }

  /**
   * @param seed an export's {@code .overall_export_metadata} file to start from (the emulator's
   *     {@code --seed_from_export}, what {@code firebase emulators:start --import} passes)
   */
  public static EmulatorProcess firestore(
      int port,
      String projectId,
      Path workDir,
      Tuning tuning,
      Optional<Path> rules,
      Optional<Path> seed)
      throws IOException {
    rules.ifPresent(r -> requireFile(r, "Firestore rules"));
    seed.ifPresent(s -> requireFile(s, "Firestore export"));
    Path jar =
        ProjectLayout.cloudSdkRoot()
            .resolve("platform/cloud-firestore-emulator/cloud-firestore-emulator.jar");
    requireFile(jar, "Firestore emulator (gcloud components install cloud-firestore-emulator)");
    List<String> command =
        new ArrayList<>(
            concat(
                jvm(tuning),
                "-cp",
                jar.toString(),
                "com.google.cloud.datastore.emulator.firestore.CloudFirestore",
                "--host=" + LOOPBACK,
                "--port=" + port,
                "--project_id=" + projectId));
    rules.ifPresent(r -> command.add("--rules=" + r.toAbsolutePath()));
    seed.ifPresent(s -> command.add("--seed_from_export=" + s.toAbsolutePath()));
    return EmulatorProcess.start(
        "firestore",
        command,
        workDir,
        Map.of(),
        LOOPBACK + ":" + port,
        "/",
        Duration.ofSeconds(60));
  }

  /** The Pub/Sub emulator jar from the Cloud SDK. */
  public static EmulatorProcess pubsub(int port, Path workDir) throws IOException {
    return pubsub(port, workDir, Tuning.QUICK_START);
  }

  public static EmulatorProcess pubsub(int port, Path workDir, Tuning tuning) throws IOException {
    Path lib = ProjectLayout.cloudSdkRoot().resolve("platform/pubsub-emulator/lib");
    Path jar;
    try (var files = Files.list(lib)) {
      jar =
          files
              .filter(p -> p.getFileName().toString().matches("cloud-pubsub-emulator-.*-all\\.jar"))
              .findFirst()
              .orElseThrow(() -> new IllegalStateException("no Pub/Sub emulator jar in " + lib));
    }
    return EmulatorProcess.start(
        "pubsub",
        concat(jvm(tuning), "-jar", jar.toString(), "--host=" + LOOPBACK, "--port=" + port),
        workDir,
        Map.of(),
        LOOPBACK + ":" + port,
        "/",
        Duration.ofSeconds(60));
  }

  /**
   * The Firebase Auth emulator from the pinned firebase-tools, with its hub and logging ports
   * chosen here so that several stacks (a dev's and a test run) can share one machine.
   */
  public static EmulatorProcess auth(int port, String projectId, ProjectLayout layout, Path workDir)
      throws IOException {
    Files.createDirectories(workDir);
    Path config = workDir.resolve("firebase.json");
    Files.writeString(
        config,
        String.format(
            "{\"emulators\":{\"auth\":{\"host\":\"%s\",\"port\":%d},"
                + "\"hub\":{\"host\":\"%s\",\"port\":%d},"
                + "\"logging\":{\"host\":\"%s\",\"port\":%d},"
                + "\"ui\":{\"enabled\":false},\"singleProjectMode\":true}}",
            LOOPBACK, port, LOOPBACK, freePort(), LOOPBACK, freePort()));
    return EmulatorProcess.start(
        "auth",
        List.of(
            "node",
            layout.firebaseCli().toString(),
            "emulators:start",
            "--only",
            "auth",
            "--project",
            projectId,
            "--config",
            config.toString()),
        workDir,
        // Its start is CPU-bound, most of it in ajv compiling the Identity Toolkit schema: a
        // larger young generation, validators compiled on first use and ajv without its
        // optimisation passes (see the preload) take it from 15-18 s to ~3.3 s here.
        Map.of(
            "FIREBASE_CLI_DISABLE_UPDATE_CHECK",
            "true",
            "CI",
            "true",
            "NODE_OPTIONS",
            "--max-semi-space-size=64 --require "
                + layout.emulatorConfig().resolve("auth-emulator-preload.cjs")),
        LOOPBACK + ":" + port,
        "/",
        Duration.ofSeconds(90));
  }

  /**
   * Debian's redis-server on loopback, in memory only (no RDB, no AOF), as Memorystore stands in
   * production: rate limits and the shared cache.
   */
  public static EmulatorProcess redis(int port, Path workDir) throws IOException {
    return EmulatorProcess.start(
        "redis",
        List.of(
            redisServer(),
            "--bind",
            LOOPBACK,
            "--port",
            Integer.toString(port),
            "--save",
            "",
            "--appendonly",
            "no",
            "--protected-mode",
            "yes"),
        workDir,
        Map.of(),
        LOOPBACK + ":" + port,
        () -> pingsBack(port),
        Duration.ofSeconds(20));
  }

  /** Where redis-server is: on PATH, or Debian's path (apt-get install redis-server). */
  static String redisServer() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "redis-server"))) {
        return Path.of(dir, "redis-server").toString();
      }
    }
    if (Files.isExecutable(Path.of("/usr/bin/redis-server"))) {
      return "/usr/bin/redis-server";
    }
    throw new IllegalStateException(
        "redis-server is not installed: apt-get install -y redis-server (local/test and .ci/run"
            + " do it when they may)");
  }

  private static boolean pingsBack(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(LOOPBACK, port), 500);
      socket.setSoTimeout(500);
      socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      byte[] answer = new byte[7];
      int n = socket.getInputStream().readNBytes(answer, 0, 7);
      return n == 7 && new String(answer, StandardCharsets.US_ASCII).equals("+PONG\r\n");
    } catch (IOException e) {
      return false;
    }
  }

  private static List<String> concat(List<String> head, String... tail) {
    List<String> all = new ArrayList<>(head);
    all.addAll(List.of(tail));
    return all;
  }

  /**
   * Ports this JVM has handed out. The OS cannot hold a port for a server that binds it later, so
   * two picks must never return the same one (state shared on purpose: one machine, one JVM).
   */
  private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

  private static final int LOWEST_PORT = 20000;

  /**
   * A port nobody listens on right now, chosen below the kernel's ephemeral range: a port from that
   * range (what binding port 0 gives) can be taken by any outgoing connection between this check
   * and the server's own bind, and a test stack makes many connections while it starts.
   */
  public static int freePort() {
    int below = ephemeralPortsStart();
    for (int attempt = 0; below - LOWEST_PORT > 1000 && attempt < 100; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(LOWEST_PORT, below);
      if (HANDED_OUT.add(port) && bindable(port)) {
        return port;
      }
    }
    // No room below the ephemeral range on this machine: let the kernel choose.
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(LOOPBACK, 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean bindable(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(LOOPBACK, port));
      return true;
    } catch (IOException taken) {
      return false;
    }
  }

  /** The first port of Linux's ephemeral range; the common default elsewhere. */
  private static int ephemeralPortsStart() {
    try {
      // Not readString: procfs reports a size of 0, and it returns the first byte only.
      String range =
          Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0).trim();
      return Integer.parseInt(range.split("\\s+")[0]);
    } catch (IOException | RuntimeException e) {
      return 32768;
    }
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static void requireFile(Path file, String what) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException(what + " not found at " + file);
    }
  }
}
