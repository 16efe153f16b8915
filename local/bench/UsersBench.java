import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.FirestoreOptions;
import dev.cirrus.local.emulators.AuthEmulatorClient;
import dev.cirrus.local.emulators.EmulatorProcess;
import dev.cirrus.local.emulators.Emulators;
import dev.cirrus.local.emulators.ProjectLayout;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The users function's benchmark (issue 2), run by local/bench/users. Prints figures and ratios
 * against baselines measured in the same run:
 *   cold: process start to first authenticated 200 on /v1/me, versus process start to first
 *         200 of a trivial HttpFunction, both through the invoker 2.0.0 jar;
 *   warm: GET /v1/me throughput and p99 at C concurrent clients, versus a raw Firestore
 *         document-get loop at the same concurrency against the same emulator.
 */
public final class UsersBench {
  static final String PROJECT = "demo-cirrus-bench";
  static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  public static void main(String[] args) throws Exception {
    Path invoker = Path.of(args[0]);
    Path usersJar = Path.of(args[1]);
    Path trivialDir = Path.of(args[2]);
    int runs = Integer.parseInt(args[3]);
    int concurrency = Integer.parseInt(args[4]);
    int seconds = Integer.parseInt(args[5]);
    Path work = Files.createTempDirectory("cirrus-bench");
    ProjectLayout layout = ProjectLayout.locate();
    try (EmulatorProcess firestore = Emulators.firestore(Emulators.freePort(), PROJECT, work.resolve("fs"));
        EmulatorProcess auth = Emulators.auth(Emulators.freePort(), PROJECT, layout, work.resolve("auth"))) {
      AuthEmulatorClient client = new AuthEmulatorClient(auth.host(), PROJECT);
      AuthEmulatorClient.User user = client.signUp(UUID.randomUUID() + "@example.com", "secret123");
      Map<String, String> env =
          Map.of(
              "GOOGLE_CLOUD_PROJECT", PROJECT,
              "FIRESTORE_EMULATOR_HOST", firestore.host(),
              "FIREBASE_AUTH_EMULATOR_HOST", auth.host());

      // Cold starts, alternating so drift hits both alike.
      double[] trivial = new double[runs];
      double[] users = new double[runs];
      for (int i = 0; i < runs; i++) {
        trivial[i] = coldStart(invoker, trivialDir.toString(), "TrivialFunction", env, "/", null, work);
        users[i] =
            coldStart(invoker, usersJar.toString(), "dev.cirrus.functions.users.UsersFunction", env, "/v1/me", user.idToken(), work);
      }
      double t = median(trivial);
      double u = median(users);
      System.out.printf("cold start, median of %d: trivial %.0f ms, users (first authenticated /v1/me) %.0f ms, ratio %.2f (goal <= 1.5)%n", runs, t, u, u / t);
      System.out.printf("  trivial runs %s%n  users runs   %s%n", Arrays.toString(round(trivial)), Arrays.toString(round(users)));

      // Warm throughput.
      int port = Emulators.freePort();
      Process fn = startFunction(invoker, usersJar.toString(), "dev.cirrus.functions.users.UsersFunction", env, port, work);
      try {
        URI me = URI.create("http://127.0.0.1:" + port + "/v1/me");
        waitFor200(me, user.idToken(), Duration.ofSeconds(60));
        load(concurrency, 3, () -> get(me, user.idToken())); // warm-up: JIT, caches
        Result function = load(concurrency, seconds, () -> get(me, user.idToken()));
        Firestore db =
            FirestoreOptions.newBuilder().setProjectId(PROJECT).setEmulatorHost(firestore.host()).build().getService();
        var doc = db.collection("users").document(user.uid());
        load(concurrency, 3, () -> { doc.get().get(); return 200; });
        Result raw = load(concurrency, seconds, () -> { doc.get().get(); return 200; });
        db.close();
        System.out.printf("warm, %d clients, %d s each:%n", concurrency, seconds);
        System.out.printf("  GET /v1/me        %8.0f req/s  p50 %.2f ms  p99 %.2f ms  errors %d%n", function.rate(), function.p50(), function.p99(), function.errors());
        System.out.printf("  raw Firestore get %8.0f req/s  p50 %.2f ms  p99 %.2f ms%n", raw.rate(), raw.p50(), raw.p99());
        System.out.printf("  ratio %.2f (goal >= 0.8)%n", function.rate() / raw.rate());
      } finally {
        fn.destroy();
        fn.waitFor();
      }
    }
  }

  record Result(double rate, double p50, double p99, long errors) {}

  static Result load(int concurrency, int seconds, Callable<Integer> call) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
    List<Future<long[]>> futures = new ArrayList<>();
    for (int i = 0; i < concurrency; i++) {
      futures.add(pool.submit(() -> {
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

  static int get(URI uri, String token) throws Exception {
    HttpRequest.Builder r = HttpRequest.newBuilder(uri);
    if (token != null) {
      r.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(r.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  static Process startFunction(Path invoker, String classpath, String target, Map<String, String> env, int port, Path work) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", invoker.toString(),
                "--classpath", classpath,
                "--target", target,
                "--port", Integer.toString(port))
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("fn-" + port + ".log").toFile());
    pb.environment().putAll(env);
    return pb.start();
  }

  static double coldStart(Path invoker, String classpath, String target, Map<String, String> env, String path, String token, Path work) throws Exception {
    int port = Emulators.freePort();
    URI uri = URI.create("http://127.0.0.1:" + port + path);
    long start = System.nanoTime();
    Process p = startFunction(invoker, classpath, target, env, port, work);
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
