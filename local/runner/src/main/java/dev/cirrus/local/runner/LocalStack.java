package dev.cirrus.local.runner;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cirrus.local.emulators.AppCheckIssuer;
import dev.cirrus.local.emulators.EmulatorProcess;
import dev.cirrus.local.emulators.Emulators;
import dev.cirrus.local.emulators.FcmFake;
import dev.cirrus.local.emulators.LoopbackServer;
import dev.cirrus.local.emulators.ProjectLayout;
import dev.cirrus.local.storage.StorageEmulator;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The whole system on one machine: the Firestore, Pub/Sub and Auth emulators, every function in one
 * host JVM behind the real Functions Framework invoker, the bridge that delivers Pub/Sub messages
 * as Eventarc does (CloudEvents, 16 in flight per subscription), the FCM fake, and the gateway that
 * routes {@code /v1} from the OpenAPI file. Everything starts in parallel; the Auth emulator (~10
 * s) is the critical path and nothing waits on it but the final "ready".
 */
public final class LocalStack implements AutoCloseable {
  /**
   * A function setting the stack reads itself: seconds between webhook ticks (a minute, as Cloud
   * Scheduler publishes them, unless a test stack asks for less).
   */
  public static final String WEBHOOK_TICK_SETTING = "CIRRUS_LOCAL_WEBHOOK_TICK_SECONDS";

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

  private final List<AutoCloseable> parts;
  private final StackEndpoints endpoints;
  private final Map<String, URI> functionUrls;
  private final FunctionInstances functionInstances;
  private final long redisPid;
  private final String edgeKey;
  private final FcmFake fcm;

  private LocalStack(
      List<AutoCloseable> parts,
      StackEndpoints endpoints,
      Map<String, URI> functionUrls,
      FunctionInstances functionInstances,
      long redisPid,
      String edgeKey,
      FcmFake fcm) {
    this.fcm = fcm;
    this.edgeKey = edgeKey;
    this.parts = parts;
    this.endpoints = endpoints;
    this.functionUrls = functionUrls;
    this.functionInstances = functionInstances;
    this.redisPid = redisPid;
  }

  /**
   * @param functionSettings extra environment of the function host, over the defaults (a test
   *     shortens {@code CIRRUS_TOKEN_CACHE_SECONDS} to watch a revocation arrive)
   * @param seed what the emulators start with: an export's data ({@code --import}), or nothing
   */
  public static LocalStack start(
      ProjectLayout layout,
      String projectId,
      Ports requested,
      List<FunctionSpec> functions,
      Path stateDir,
      PrintStream progress,
      Map<String, String> functionSettings,
      Retry retry,
      StackData.Seed seed)
      throws IOException {
    long t0 = System.nanoTime();
    Ports ports = requested.resolved();
    String firestoreHost = Emulators.LOOPBACK + ":" + ports.firestore();
    String pubsubHost = Emulators.LOOPBACK + ":" + ports.pubsub();
    String authHost = Emulators.LOOPBACK + ":" + ports.auth();
    List<AutoCloseable> parts = new ArrayList<>();
    List<CompletableFuture<EmulatorProcess>> processes = new ArrayList<>();
    StartProgress.Progress report = new StartProgress.Progress(progress, t0);
    try {
      CompletableFuture<EmulatorProcess> auth =
          StartProgress.async(
              () -> seed.startAuth(ports.auth(), projectId, layout, stateDir.resolve("auth")),
              report);
      CompletableFuture<EmulatorProcess> firestore =
          StartProgress.async(
              () ->
                  Emulators.firestore(
                      ports.firestore(),
                      projectId,
                      stateDir.resolve("firestore"),
                      Emulators.Tuning.QUICK_START,
                      Optional.of(layout.firestoreRules()),
                      seed.firestoreMetadata()),
              report);
      CompletableFuture<EmulatorProcess> pubsub =
          StartProgress.async(
              () -> Emulators.pubsub(ports.pubsub(), stateDir.resolve("pubsub")), report);
      // Memorystore's stand-in: rate limits (and the shared cache) for every function instance.
      int redisPort = Emulators.freePort();
      CompletableFuture<EmulatorProcess> redis =
          StartProgress.async(() -> Emulators.redis(redisPort, stateDir.resolve("redis")), report);
      processes.addAll(List.of(firestore, pubsub, auth, redis));

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
          StackStorage.start(
              ports.storage(),
              projectId,
              pubsubHost,
              stateDir,
              seed,
              signingKey.trusted(),
              report,
              t0);
      parts.add(storage);
      env.put("STORAGE_EMULATOR_HOST", storage.url());
      // FCM has no emulator: the functions' Admin SDK sends to this fake, which logs each push.
      FcmFake fcm = new FcmFake(0, Clock.systemUTC(), line -> progress.println("  " + line));
      parts.add(fcm);
      // Cloud Trace's stand-in: every function exports its spans here over OTLP/HTTP, as it
      // would to telemetry.googleapis.com, and local/trace reads them back.
      LoopbackServer traces = new TraceCollector(new ObjectMapper()).serve();
      parts.add(traces);
      String tracesUrl = "http://" + Emulators.LOOPBACK + ":" + traces.port();
      env.put("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", tracesUrl + "/v1/traces");
      // Every request traced locally; production samples (infra/functions.tf).
      env.put("OTEL_TRACES_SAMPLER", "always_on");
      env.put("FCM_EMULATOR_HOST", fcm.host());
      report.line("fcm", fcm.host(), Duration.ofNanos(System.nanoTime() - t0));
      // App Check has no emulator either: the stack signs tokens with a key of its own and
      // publishes it as Firebase publishes its keys; only demo- projects may trust it.
      AppCheckIssuer appCheck =
          new AppCheckIssuer(0, AppCheckIssuer.DEMO_PROJECT_NUMBER, projectId);
      parts.add(appCheck);
      env.put("CIRRUS_APP_CHECK_JWKS_URL", appCheck.jwksUrl().toString());
      env.put("CIRRUS_APP_CHECK_PROJECT_NUMBER", AppCheckIssuer.DEMO_PROJECT_NUMBER);
      env.put("CIRRUS_APP_CHECK", StackSettings.appCheckMode());
      String redisUrl = "redis://" + Emulators.LOOPBACK + ":" + redisPort;
      env.put("CIRRUS_REDIS_URL", redisUrl);
      // The web app's port, chosen now: the functions' CORS list names its origin.
      int webPort = WebApp.built(layout.root()) ? Emulators.freePort() : 0;
      env.put("CIRRUS_CORS_ORIGINS", StackSettings.corsOrigins(ports.gateway(), webPort));
      // As the load balancer's secret header (infra/edge.tf): the functions refuse a request
      // that did not come through the gateway, which adds it.
      String edgeKey = StackSettings.newEdgeKey();
      env.put("CIRRUS_EDGE_KEY", edgeKey);
      env.putAll(functionSettings);
      FunctionInstances instances =
          new FunctionInstances(
              replacement ->
                  FunctionHostProcess.start(hostArgs, functionUrls, env, stateDir, replacement),
              line -> {
                progress.println(line);
                progress.flush();
              });
      parts.add(instances);
      CompletableFuture<EmulatorProcess> host = StartProgress.async(instances::start, report);
      processes.add(host);

      EventarcBridge bridge = new EventarcBridge(projectId, pubsubHost, retry, instances);
      parts.add(bridge);
      Gateway gateway =
          new Gateway(
              OpenApiRoutes.load(layout.root().resolve("infra/openapi.yaml")),
              functionUrls,
              ports.gateway(),
              projectId,
              Clock.systemUTC(),
              // Cloud Armor's throttle; CIRRUS_EDGE_REQUESTS_PER_MINUTE in the settings (or the
              // environment) sets it, as infra/ sets var.edge_requests_per_minute.
              EdgeThrottle.fromSettings(functionSettings, Clock.systemUTC()),
              Optional.of(edgeKey),
              instances);
      parts.add(gateway);
      report.line("gateway", gateway.url(), Duration.ofNanos(System.nanoTime() - t0));
      String webUrl = "";
      if (webPort != 0) {
        parts.add(
            WebApp.serveForStack(
                webPort,
                layout.root(),
                gateway.url(),
                projectId,
                authHost,
                firestoreHost,
                storage.url(),
                appCheck.mintUrl().toString()));
        webUrl = "http://" + Emulators.LOOPBACK + ":" + webPort;
        report.line("web", webUrl, Duration.ofNanos(System.nanoTime() - t0));
      }
      // What infra/monitoring.tf shows in production, from this stack (local/status).
      LoopbackServer status = new StackStatus(new ObjectMapper()).serve(instances::log, bridge);
      parts.add(status);

      CompletableFuture<Void> topics =
          pubsub.thenAccept(
              p ->
                  EventTopology.create(
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
      parts.add(
          new MaintenanceTicker(
              pubsubHost,
              projectId,
              Duration.ofSeconds(
                  Long.parseLong(
                      functionSettings.getOrDefault(
                          WEBHOOK_TICK_SETTING,
                          Long.toString(MaintenanceTicker.WEBHOOK_EVERY.toSeconds()))))));
      for (CompletableFuture<EmulatorProcess> f : processes) {
        if (f != host) {
          parts.add(0, f.join());
        }
      }
      // The host stops first, and through its supervisor, which would otherwise replace it.
      parts.remove(instances);
      parts.add(0, instances);
      processes.clear();
      StackEndpoints endpoints =
          new StackEndpoints(
              gateway.url(),
              firestoreHost,
              pubsubHost,
              authHost,
              storage.url(),
              fcm.host(),
              appCheck.mintUrl().toString(),
              redisUrl,
              "http://" + Emulators.LOOPBACK + ":" + status.port() + "/status",
              tracesUrl + "/traces",
              webUrl,
              projectId);
      for (AutoCloseable part : parts) {
        if (part instanceof EmulatorProcess process) {
          FunctionHostProcess.restoreNormalPriority(process.pid());
        }
      }
      FunctionHostProcess.restoreNormalPriority(instances.pid());
      return new LocalStack(
          parts, endpoints, functionUrls, instances, redis.join().pid(), edgeKey, fcm);
    } catch (RuntimeException | IOException e) {
      // The supervisor first, so that it replaces nothing; then children still starting must be
      // waited for, or they would outlive us.
      closeAll(parts);
      for (CompletableFuture<EmulatorProcess> f : processes) {
        try {
          f.join().close();
        } catch (CompletionException ignored) {
          // it never started: nothing to stop
        }
      }
      throw e;
    }
  }

  private static RuntimeException unwrap(CompletionException e) {
    return e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
  }

  public StackEndpoints endpoints() {
    return endpoints;
  }

  public Map<String, URI> functionUrls() {
    return functionUrls;
  }

  /** The FCM fake the functions push to: what it accepted, and faults to inject. */
  public FcmFake fcm() {
    return fcm;
  }

  /** The serving function host's process id (0 while a replacement starts). */
  public long functionHostPid() {
    return functionInstances.pid();
  }

  /** How many times the function host has been replaced since the start. */
  public int functionHostReplacements() {
    return functionInstances.replacements();
  }

  /** The redis-server's process id, for tests that stop or freeze it. */
  public long redisPid() {
    return redisPid;
  }

  /**
   * What the gateway adds to every request as the load balancer would ({@code X-Cirrus-Edge}): a
   * test calling a function around the gateway sends it to get past the edge check.
   */
  public String edgeKey() {
    return edgeKey;
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
