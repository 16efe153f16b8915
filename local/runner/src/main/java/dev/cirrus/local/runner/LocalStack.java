package dev.cirrus.local.runner;

import dev.cirrus.local.emulators.EmulatorProcess;
import dev.cirrus.local.emulators.Emulators;
import dev.cirrus.local.emulators.FcmFake;
import dev.cirrus.local.emulators.ProjectLayout;
import dev.cirrus.local.emulators.PubSubAdmin;
import dev.cirrus.local.storage.BucketSettings;
import dev.cirrus.local.storage.Notifications;
import dev.cirrus.local.storage.StorageEmulator;
import dev.cirrus.local.storage.signing.TrustedKeys;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The whole system on one machine: the Firestore, Pub/Sub and Auth emulators, every function in one
 * host JVM behind the real Functions Framework invoker, the bridge that delivers Pub/Sub messages
 * as Eventarc does (CloudEvents, 16 in flight per subscription), the FCM fake, and the gateway that
 * routes {@code /v1} from the OpenAPI file. Everything starts in parallel; the Auth emulator (~10
 * s) is the critical path and nothing waits on it but the final "ready".
 */
public final class LocalStack implements AutoCloseable {
  /** Ports of every part; 0 picks a free one. */
  public record Ports(
      int gateway, int firestore, int pubsub, int auth, int storage, int functions) {
    public static Ports free() {
      return new Ports(0, 0, 0, 0, 0, 0);
    }

    Ports resolved() {
      return new Ports(or(gateway), or(firestore), or(pubsub), or(auth), or(storage), functions);
    }

    private static int or(int port) {
      return port == 0 ? Emulators.freePort() : port;
    }
  }

  /**
   * How events reach functions: messages in delivery at once per subscription, and the backoff
   * between redeliveries. Deployed, 10 s to 600 s (cloudbuild.yaml sets it); tests shorten it to
   * watch five attempts end in a dead letter within seconds.
   */
  public record Retry(int inFlight, Duration minBackoff, Duration maxBackoff) {
    public static final Retry AS_DEPLOYED =
        new Retry(
            EventarcBridge.DEFAULT_IN_FLIGHT, Duration.ofSeconds(10), Duration.ofSeconds(600));
  }

  /** Where a client reaches each part. */
  public record Endpoints(
      String apiUrl,
      String firestoreHost,
      String pubsubHost,
      String authHost,
      String storageHost,
      String fcmHost,
      String projectId) {
    public Map<String, String> asEnvironment() {
      Map<String, String> env = new LinkedHashMap<>();
      env.put("CIRRUS_API_URL", apiUrl);
      env.put("FIRESTORE_EMULATOR_HOST", firestoreHost);
      env.put("PUBSUB_EMULATOR_HOST", pubsubHost);
      env.put("FIREBASE_AUTH_EMULATOR_HOST", authHost);
      env.put("STORAGE_EMULATOR_HOST", storageHost);
      env.put("FCM_EMULATOR_HOST", fcmHost);
      env.put("GOOGLE_CLOUD_PROJECT", projectId);
      return env;
    }

    /** What the FCM fake accepted, as JSON. */
    public URI pushesUrl() {
      return URI.create("http://" + fcmHost + "/_fake/messages");
    }
  }

  private final List<AutoCloseable> parts;
  private final Endpoints endpoints;
  private final Map<String, URI> functionUrls;
  private final long functionHostPid;
  private final FcmFake fcm;

  private LocalStack(
      List<AutoCloseable> parts,
      Endpoints endpoints,
      Map<String, URI> functionUrls,
      long functionHostPid,
      FcmFake fcm) {
    this.fcm = fcm;
    this.parts = parts;
    this.endpoints = endpoints;
    this.functionUrls = functionUrls;
    this.functionHostPid = functionHostPid;
  }

  /**
   * @param functionSettings extra environment of the function host, over the defaults (a test
   *     shortens {@code CIRRUS_TOKEN_CACHE_SECONDS} to watch a revocation arrive)
   */
  public static LocalStack start(
      ProjectLayout layout,
      String projectId,
      Ports requested,
      List<FunctionSpec> functions,
      Path stateDir,
      PrintStream progress,
      Map<String, String> functionSettings,
      Retry retry)
      throws IOException {
    long t0 = System.nanoTime();
    Ports ports = requested.resolved();
    String firestoreHost = Emulators.LOOPBACK + ":" + ports.firestore();
    String pubsubHost = Emulators.LOOPBACK + ":" + ports.pubsub();
    String authHost = Emulators.LOOPBACK + ":" + ports.auth();
    List<AutoCloseable> parts = new ArrayList<>();
    List<CompletableFuture<EmulatorProcess>> processes = new ArrayList<>();
    Progress report = new Progress(progress, t0);
    try {
      CompletableFuture<EmulatorProcess> auth =
          async(
              () -> Emulators.auth(ports.auth(), projectId, layout, stateDir.resolve("auth")),
              report);
      CompletableFuture<EmulatorProcess> firestore =
          async(
              () ->
                  Emulators.firestore(
                      ports.firestore(),
                      projectId,
                      stateDir.resolve("firestore"),
                      Emulators.Tuning.QUICK_START,
                      Optional.of(layout.firestoreRules())),
              report);
      CompletableFuture<EmulatorProcess> pubsub =
          async(() -> Emulators.pubsub(ports.pubsub(), stateDir.resolve("pubsub")), report);
      processes.addAll(List.of(firestore, pubsub, auth));

      Map<String, URI> functionUrls = new LinkedHashMap<>();
      List<String> hostArgs = new ArrayList<>();
      int next = ports.functions();
      for (FunctionSpec fn : functions) {
        int port = next == 0 ? Emulators.freePort() : next++;
        functionUrls.put(fn.name(), URI.create("http://" + Emulators.LOOPBACK + ":" + port));
        hostArgs.add(fn.hostArgument(port));
      }
      Map<String, String> env = new LinkedHashMap<>();
      env.put("GOOGLE_CLOUD_PROJECT", projectId);
      env.put("FIRESTORE_EMULATOR_HOST", firestoreHost);
      env.put("PUBSUB_EMULATOR_HOST", pubsubHost);
      env.put("FIREBASE_AUTH_EMULATOR_HOST", authHost);
      env.put("FIRESTORE_ENABLE_TRACING", "off"); // as infra/functions.tf deploys them
      SigningKey signingKey = SigningKey.generate(projectId, stateDir.resolve("signing-key.json"));
      env.put("CIRRUS_SIGNING_KEY_FILE", signingKey.file().toString());
      StorageEmulator storage =
          startStorage(
              ports.storage(), projectId, pubsubHost, stateDir, signingKey.trusted(), report, t0);
      parts.add(storage);
      env.put("STORAGE_EMULATOR_HOST", storage.url());
      // FCM has no emulator: the functions' Admin SDK sends to this fake, which logs each push.
      FcmFake fcm = new FcmFake(0, Clock.systemUTC(), line -> progress.println("  " + line));
      parts.add(fcm);
      env.put("FCM_EMULATOR_HOST", fcm.host());
      report.line("fcm", fcm.host(), Duration.ofNanos(System.nanoTime() - t0));
      env.putAll(functionSettings);
      CompletableFuture<EmulatorProcess> host =
          async(() -> startFunctionHost(hostArgs, functionUrls, env, stateDir), report);
      processes.add(host);

      EventarcBridge bridge = new EventarcBridge(projectId, pubsubHost, retry);
      parts.add(bridge);
      Gateway gateway =
          new Gateway(
              OpenApiRoutes.load(layout.root().resolve("infra/openapi.yaml")),
              functionUrls,
              ports.gateway(),
              projectId);
      parts.add(gateway);
      report.line("gateway", gateway.url(), Duration.ofNanos(System.nanoTime() - t0));

      CompletableFuture<Void> topics =
          pubsub.thenAccept(
              p ->
                  createTopology(
                      p.host(), projectId, functions, functionUrls, bridge, retry, report, t0));

      RuntimeException failure = null;
      for (CompletableFuture<EmulatorProcess> f : processes) {
        try {
          f.join();
        } catch (CompletionException e) {
          failure = failure != null ? failure : unwrap(e);
        }
      }
      if (failure != null) {
        throw failure;
      }
      topics.join();
      parts.add(new MaintenanceTicker(pubsubHost, projectId));
      for (CompletableFuture<EmulatorProcess> f : processes) {
        parts.add(0, f.join());
      }
      processes.clear();
      Endpoints endpoints =
          new Endpoints(
              gateway.url(),
              firestoreHost,
              pubsubHost,
              authHost,
              storage.url(),
              fcm.host(),
              projectId);
      for (AutoCloseable part : parts) {
        if (part instanceof EmulatorProcess process) {
          restoreNormalPriority(process.pid());
        }
      }
      return new LocalStack(parts, endpoints, functionUrls, host.join().pid(), fcm);
    } catch (RuntimeException | IOException e) {
      // Children still starting must be waited for, or they would outlive us.
      for (CompletableFuture<EmulatorProcess> f : processes) {
        try {
          f.join().close();
        } catch (CompletionException ignored) {
          // it never started: nothing to stop
        }
      }
      closeAll(parts);
      throw e;
    }
  }

  /**
   * The project's Cloud Storage emulator, in this JVM, with the two buckets functions use. The
   * Firestore emulator starts empty, so storage does too: objects whose documents are gone would
   * only confuse.
   */
  private static StorageEmulator startStorage(
      int port,
      String projectId,
      String pubsubHost,
      Path stateDir,
      TrustedKeys trusted,
      Progress report,
      long t0)
      throws IOException {
    Path data = stateDir.resolve("storage");
    if (Files.exists(data)) {
      try (var files = Files.walk(data)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    StorageEmulator storage = StorageEmulator.onDisk(port, data, trusted, Optional.of(pubsubHost));
    // As infra/storage.tf: uniform bucket-level access and public access prevention.
    for (String bucket : List.of(projectId + "-uploads", projectId + "-files")) {
      storage.store().createBucket(bucket, projectId, BucketSettings.uniformPrivate(), null, null);
    }
    // As infra/storage.tf: finished uploads announce themselves on upload-finalized.
    storage
        .notifications()
        .create(
            projectId + "-uploads",
            "projects/" + projectId + "/topics/" + FunctionCatalog.UPLOAD_FINALIZED_TOPIC,
            "JSON_API_V1",
            List.of(Notifications.FINALIZE),
            Map.of(),
            null);
    report.line("storage", storage.url(), Duration.ofNanos(System.nanoTime() - t0));
    return storage;
  }

  private static RuntimeException unwrap(CompletionException e) {
    return e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
  }

  private static EmulatorProcess startFunctionHost(
      List<String> hostArgs, Map<String, URI> urls, Map<String, String> env, Path stateDir)
      throws IOException {
    List<String> command = new ArrayList<>();
    // Niced: the Auth emulator is the critical path of a start, and it is CPU-bound.
    command.addAll(List.of("nice", "-n", "19"));
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
  private static void restoreNormalPriority(long pid) {
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
  private static String absoluteClasspath() {
    return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .map(entry -> Path.of(entry).toAbsolutePath().toString())
        .collect(Collectors.joining(File.pathSeparator));
  }

  private static void createTopology(
      String pubsubHost,
      String projectId,
      List<FunctionSpec> functions,
      Map<String, URI> functionUrls,
      EventarcBridge bridge,
      Retry retry,
      Progress report,
      long t0) {
    ExecutorService pool = Executors.newCachedThreadPool();
    try (PubSubAdmin admin = new PubSubAdmin(pubsubHost, projectId)) {
      // In parallel (on threads of our own: the common pool has one thread on two cores): while the
      // Auth emulator starts, the Pub/Sub emulator answers its first
      // requests slowly, and this step would otherwise end last.
      Set<String> topics = new LinkedHashSet<>(FunctionCatalog.TOPICS);
      functions.forEach(fn -> topics.addAll(fn.topics()));
      CompletableFuture.allOf(
              topics.stream()
                  .map(topic -> CompletableFuture.runAsync(() -> admin.createTopic(topic), pool))
                  .toArray(CompletableFuture[]::new))
          .join();
      List<CompletableFuture<Void>> subscriptions = new ArrayList<>();
      for (FunctionSpec fn : functions) {
        for (String topic : fn.topics()) {
          String subscription = EventarcBridge.subscriptionName(fn.name(), topic);
          subscriptions.add(
              CompletableFuture.runAsync(
                  () -> {
                    admin.createDeliverySubscription(
                        subscription,
                        topic,
                        // Dead letters are retried, never dead-lettered again (a loop).
                        topic.equals(FunctionCatalog.DEAD_LETTER_TOPIC)
                            ? null
                            : FunctionCatalog.DEAD_LETTER_TOPIC,
                        FunctionCatalog.MAX_DELIVERY_ATTEMPTS,
                        retry.minBackoff(),
                        retry.maxBackoff(),
                        EventarcBridge.ackDeadline());
                    bridge.deliver(subscription, topic, functionUrls.get(fn.name()));
                  },
                  pool));
        }
      }
      CompletableFuture.allOf(subscriptions.toArray(CompletableFuture[]::new)).join();
      report.line(
          "topics",
          FunctionCatalog.TOPICS.size() + " topics, " + retry.inFlight() + " in flight each",
          Duration.ofNanos(System.nanoTime() - t0));
    } finally {
      pool.shutdown();
    }
  }

  private interface Start {
    EmulatorProcess start() throws IOException;
  }

  private static CompletableFuture<EmulatorProcess> async(Start start, Progress report) {
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

  private static final class Progress {
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

  public Endpoints endpoints() {
    return endpoints;
  }

  public Map<String, URI> functionUrls() {
    return functionUrls;
  }

  /** The FCM fake the functions push to: what it accepted, and faults to inject. */
  public FcmFake fcm() {
    return fcm;
  }

  public long functionHostPid() {
    return functionHostPid;
  }

  /** Writes the endpoints as {@code KEY=value} lines, for {@code source} and for tools. */
  public void writeEndpoints(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    StringBuilder text = new StringBuilder("# Written by the local stack; valid while it runs.\n");
    endpoints.asEnvironment().forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
    Files.writeString(file, text);
  }

  @Override
  public void close() {
    closeAll(parts);
  }

  private static void closeAll(List<AutoCloseable> parts) {
    for (AutoCloseable part : parts) {
      try {
        part.close();
      } catch (Exception e) {
        System.err.println("stopping " + part + ": " + e);
      }
    }
  }
}
