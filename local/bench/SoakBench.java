import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cirrus.local.emulators.AuthEmulatorClient;
import dev.cirrus.local.emulators.ProcessStats;
import dev.cirrus.local.emulators.ProjectLayout;
import dev.cirrus.local.emulators.PubSubAdmin;
import dev.cirrus.local.runner.FunctionCatalog;
import dev.cirrus.local.runner.LocalStack;
import dev.cirrus.local.runner.StackData;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Mixed traffic through the gateway of a whole local stack for N minutes, as an app's users make
 * it: reads (GET /v1/me, /v1/files, /v1/notifications), uploads (a session and its bytes) and
 * notification requests to a few users at a time (Pub/Sub, as another system sends them). Every
 * minute it prints the requests, the errors (5xx or no answer), p50 and p99 at the client, and the
 * function host's heap after a full GC and its resident memory. Goal: no error, and the heap after
 * GC and the RSS flat within 10% after the first two minutes (the JIT and the caches warming).
 *
 * <p>Usage: java -cp ... local/bench/SoakBench.java [minutes=10] [clients=8]
 */
public class SoakBench {
  static final String PROJECT = "demo-cirrus-bench";
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final Pattern USED = Pattern.compile("used (\\d+)K");

  /** One minute's calls: latencies in ms, and how many failed. */
  static final class Minute {
    final List<Double> millis = Collections.synchronizedList(new ArrayList<>());
    volatile long errors;
    volatile long refused;
  }

  public static void main(String[] args) throws Exception {
    int minutes = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    int clients = args.length > 1 ? Integer.parseInt(args[1]) : 8;
    Map<String, String> settings = new HashMap<>();
    for (String c : List.of("READS", "WRITES", "UPLOADS")) {
      settings.put("CIRRUS_RATE_" + c + "_PER_USER", "1000000/60s");
      settings.put("CIRRUS_RATE_" + c + "_PER_ADDRESS", "1000000/60s");
    }
    settings.put("CIRRUS_EDGE_REQUESTS_PER_MINUTE", "10000000");
    settings.put("CIRRUS_DAILY_UPLOAD_SESSIONS", "100000");
    try (LocalStack stack =
        LocalStack.start(
            ProjectLayout.locate(),
            PROJECT,
            LocalStack.Ports.free(),
            FunctionCatalog.functions(),
            Files.createTempDirectory("cirrus-soak"),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            settings,
            LocalStack.Retry.AS_DEPLOYED,
            StackData.Seed.EMPTY)) {
      String api = stack.endpoints().apiUrl();
      AuthEmulatorClient auth = new AuthEmulatorClient(stack.endpoints().authHost(), PROJECT);
      PubSubAdmin pubsub = new PubSubAdmin(stack.endpoints().pubsubHost(), PROJECT);
      List<AuthEmulatorClient.User> users = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        AuthEmulatorClient.User user = auth.signUp(UUID.randomUUID() + "@example.com", "pw12345");
        users.add(user);
        call(
            api,
            "POST",
            "/v1/me/devices",
            user.idToken(),
            "{\"token\":\"soak-" + user.uid() + "\",\"platform\":\"android\"}");
      }
      long pid = stack.functionHostPid();
      System.out.printf(
          "soak: %d minutes, %d clients, 20 users, function host pid %d%n", minutes, clients, pid);
      System.out.println(
          "minute  requests  errors  4xx   p50 ms   p99 ms   heap after GC MiB   RSS MiB");
      List<Minute> record = new ArrayList<>();
      long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(minutes);
      ExecutorService pool = Executors.newFixedThreadPool(clients);
      Minute[] current = {new Minute()};
      for (int c = 0; c < clients; c++) {
        long seed = 20261204L + c;
        pool.submit(() -> traffic(api, pubsub, users, new Random(seed), end, current));
      }
      List<double[]> memory = new ArrayList<>();
      for (int m = 1; m <= minutes; m++) {
        Thread.sleep(60_000);
        Minute done = current[0];
        current[0] = new Minute();
        record.add(done);
        double heap = heapAfterGcMib(pid);
        double rss = ProcessStats.rssKib(pid) / 1024.0;
        memory.add(new double[] {heap, rss});
        List<Double> sorted = new ArrayList<>(done.millis);
        Collections.sort(sorted);
        System.out.printf(
            "%6d  %8d  %6d  %4d  %7.1f  %7.1f  %18.1f  %8.1f%n",
            m,
            sorted.size(),
            done.errors,
            done.refused,
            percentile(sorted, 0.50),
            percentile(sorted, 0.99),
            heap,
            rss);
      }
      pool.shutdownNow();
      pool.awaitTermination(30, TimeUnit.SECONDS);
      long errors = record.stream().mapToLong(r -> r.errors).sum();
      List<double[]> settled = memory.subList(Math.min(2, memory.size()), memory.size());
      System.out.printf(
          "errors %d; after minute 2: heap after GC %s, RSS %s (goal: 0 errors, both within 10%%)%n",
          errors, spread(settled, 0), spread(settled, 1));
    }
  }

  static void traffic(
      String api,
      PubSubAdmin pubsub,
      List<AuthEmulatorClient.User> users,
      Random random,
      long end,
      Minute[] current) {
    while (System.nanoTime() < end && !Thread.currentThread().isInterrupted()) {
      AuthEmulatorClient.User user = users.get(random.nextInt(users.size()));
      int dice = random.nextInt(100);
      long start = System.nanoTime();
      Minute minute = current[0];
      try {
        int status;
        if (dice < 70) {
          String path =
              List.of("/v1/me", "/v1/files?pageSize=24", "/v1/notifications?pageSize=20")
                  .get(random.nextInt(3));
          status = send(api, "GET", path, user.idToken(), null).statusCode();
        } else if (dice < 90) {
          byte[] text = ("soak " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
          HttpResponse<String> created =
              send(
                  api,
                  "POST",
                  "/v1/uploads",
                  user.idToken(),
                  JSON.writeValueAsString(
                      Map.of(
                          "filename", "s.txt", "contentType", "text/plain", "size", text.length)));
          status = created.statusCode();
          if (status == 201) {
            String url = JSON.readTree(created.body()).path("uploadUrl").asText();
            status =
                HTTP.send(
                        HttpRequest.newBuilder(URI.create(url))
                            .PUT(HttpRequest.BodyPublishers.ofByteArray(text))
                            .build(),
                        HttpResponse.BodyHandlers.discarding())
                    .statusCode();
          }
        } else {
          List<String> to = new ArrayList<>();
          for (int i = 0; i < 5; i++) {
            to.add(users.get(random.nextInt(users.size())).uid());
          }
          pubsub.publish(
              "notification-requests",
              Map.of(),
              JSON.writeValueAsBytes(
                  Map.of(
                      "requestId", UUID.randomUUID().toString(),
                      "type", "soak.ping",
                      "recipients", Map.of("uids", to.stream().distinct().toList()),
                      "title", "Soak",
                      "body", "A notification of the soak run.")));
          status = 200;
        }
        minute.millis.add((System.nanoTime() - start) / 1e6);
        if (status >= 500) {
          minute.errors++;
        } else if (status >= 400) {
          minute.refused++;
        }
      } catch (Exception e) {
        if (Thread.currentThread().isInterrupted()) {
          return;
        }
        minute.errors++;
      }
    }
  }

  /** The host's heap after a full collection: jcmd GC.run, then the generations' used sizes. */
  static double heapAfterGcMib(long pid) throws Exception {
    run("jcmd", Long.toString(pid), "GC.run");
    String info = run("jcmd", Long.toString(pid), "GC.heap_info");
    long kib = 0;
    // The generations' lines (and Metaspace's, which is not heap) carry "used NK": the heap is the
    // lines before Metaspace.
    Matcher m = USED.matcher(info.split("Metaspace")[0]);
    while (m.find()) {
      kib += Long.parseLong(m.group(1));
    }
    return kib / 1024.0;
  }

  static String run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(30, TimeUnit.SECONDS);
    return out;
  }

  static String spread(List<double[]> samples, int index) {
    if (samples.isEmpty()) {
      return "n/a";
    }
    double min = Double.MAX_VALUE;
    double max = 0;
    for (double[] s : samples) {
      min = Math.min(min, s[index]);
      max = Math.max(max, s[index]);
    }
    return String.format("%.1f-%.1f MiB (%+.1f%%)", min, max, (max - min) / min * 100);
  }

  static double percentile(List<Double> sorted, double p) {
    if (sorted.isEmpty()) {
      return 0;
    }
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.floor(p * sorted.size())));
  }

  static HttpResponse<String> send(
      String api, String method, String path, String token, String body) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(api + path))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + token)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode call(String api, String method, String path, String token, String body)
      throws Exception {
    HttpResponse<String> response = send(api, method, path, token, body);
    if (response.statusCode() >= 300) {
      throw new IllegalStateException(method + " " + path + ": " + response.statusCode());
    }
    return JSON.readTree(response.body());
  }
}
