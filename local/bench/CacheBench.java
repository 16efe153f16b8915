import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.cirrus.local.emulators.AuthEmulatorClient;
import dev.cirrus.local.emulators.Emulators;
import dev.cirrus.local.emulators.ProjectLayout;
import dev.cirrus.local.runner.FunctionCatalog;
import dev.cirrus.local.runner.LocalStack;
import dev.cirrus.local.runner.StackData;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the user cache saves: the Firestore documents read per {@code GET /v1/me} and per {@code GET
 * /v1/files}, through the local stack as an app calls it, with the cache off ({@code
 * CIRRUS_USER_CACHE_SECONDS=0}, as before it existed) and on (the defaults). The functions reach
 * the Firestore emulator through a proxy here that counts what Firestore bills as reads: each
 * document a batchGet finds or misses, each document a query returns (one for an empty result), one
 * per aggregation. Also the time of each request at the client, p50 and p99.
 *
 * <p>Usage: java -cp ... local/bench/CacheBench.java [users=20] [requests per user=20]
 */
public class CacheBench {
  static final String PROJECT = "demo-cirrus-bench";
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();

  public static void main(String[] args) throws Exception {
    int users = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    int perUser = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    List<String> lines = new ArrayList<>();
    for (String mode : List.of("off", "on")) {
      lines.addAll(run(mode, users, perUser));
    }
    System.out.printf(
        "Firestore reads per request through the local stack, %d users x %d requests each:%n",
        users, perUser);
    lines.forEach(System.out::println);
  }

  static List<String> run(String mode, int users, int perUser) throws Exception {
    int firestorePort = Emulators.freePort();
    ReadCounter counter = new ReadCounter(firestorePort);
    Map<String, String> settings = new HashMap<>();
    settings.put("FIRESTORE_EMULATOR_HOST", Emulators.LOOPBACK + ":" + counter.port());
    // One client sends everything from one address: the limits are raised out of reach.
    for (String c : List.of("READS", "WRITES", "UPLOADS")) {
      settings.put("CIRRUS_RATE_" + c + "_PER_USER", "1000000/60s");
      settings.put("CIRRUS_RATE_" + c + "_PER_ADDRESS", "1000000/60s");
    }
    settings.put("CIRRUS_EDGE_REQUESTS_PER_MINUTE", "10000000");
    if (mode.equals("off")) {
      settings.put("CIRRUS_USER_CACHE_SECONDS", "0");
    }
    Set<String> needed = Set.of("users", "uploads", "files", "process-upload");
    try (LocalStack stack =
        LocalStack.start(
            ProjectLayout.locate(),
            PROJECT,
            new LocalStack.Ports(0, firestorePort, 0, 0, 0, 0),
            FunctionCatalog.functions().stream().filter(f -> needed.contains(f.name())).toList(),
            Files.createTempDirectory("cirrus-cache-bench"),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            settings,
            LocalStack.Retry.AS_DEPLOYED,
            StackData.Seed.EMPTY)) {
      String api = stack.endpoints().apiUrl();
      AuthEmulatorClient auth = new AuthEmulatorClient(stack.endpoints().authHost(), PROJECT);
      List<AuthEmulatorClient.User> people = new ArrayList<>();
      for (int i = 0; i < users; i++) {
        AuthEmulatorClient.User user = auth.signUp(UUID.randomUUID() + "@example.com", "pw12345");
        people.add(user);
        call(api, "GET", "/v1/me", user.idToken());
      }
      // Three ready files for the first user, so a listing returns documents.
      for (int i = 0; i < 3; i++) {
        readyFile(api, stack.endpoints().storageHost(), people.get(0), "f" + i + ".txt");
      }
      List<String> out = new ArrayList<>();
      out.add(measure(mode, "GET /v1/me", api, "/v1/me", people, perUser, counter));
      out.add(
          measure(mode, "GET /v1/files", api, "/v1/files", people.subList(0, 1), perUser, counter));
      return out;
    } finally {
      counter.close();
    }
  }

  static String measure(
      String mode,
      String label,
      String api,
      String path,
      List<AuthEmulatorClient.User> people,
      int perUser,
      ReadCounter counter)
      throws Exception {
    long before = counter.reads();
    long[] nanos = new long[people.size() * perUser];
    int n = 0;
    for (int round = 0; round < perUser; round++) {
      for (AuthEmulatorClient.User user : people) {
        long t0 = System.nanoTime();
        call(api, "GET", path, user.idToken());
        nanos[n++] = System.nanoTime() - t0;
      }
    }
    long reads = counter.reads() - before;
    Arrays.sort(nanos);
    return String.format(
        "  cache %-3s  %-14s %5.2f reads/request (%d in %d)   p50 %5.1f ms  p99 %5.1f ms",
        mode,
        label,
        (double) reads / n,
        reads,
        n,
        nanos[n / 2] / 1e6,
        nanos[Math.min(n - 1, (int) Math.ceil(n * 0.99) - 1)] / 1e6);
  }

  static JsonNode call(String api, String method, String path, String token) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(api + path))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + token)
            .method(method, HttpRequest.BodyPublishers.noBody());
    HttpResponse<String> response =
        HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() >= 300) {
      throw new IllegalStateException(method + " " + path + ": " + response.statusCode());
    }
    return JSON.readTree(response.body().isEmpty() ? "{}" : response.body());
  }

  static void readyFile(String api, String storageHost, AuthEmulatorClient.User user, String name)
      throws Exception {
    byte[] text = ("text of " + name).getBytes(StandardCharsets.UTF_8);
    String body =
        JSON.writeValueAsString(
            Map.of("filename", name, "contentType", "text/plain", "size", text.length));
    HttpResponse<String> created =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(api + "/v1/uploads"))
                .header("Authorization", "Bearer " + user.idToken())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (created.statusCode() != 201) {
      throw new IllegalStateException(
          "POST /v1/uploads: " + created.statusCode() + " " + created.body());
    }
    JsonNode session = JSON.readTree(created.body());
    HTTP.send(
        HttpRequest.newBuilder(URI.create(session.path("uploadUrl").asText()))
            .PUT(HttpRequest.BodyPublishers.ofByteArray(text))
            .build(),
        HttpResponse.BodyHandlers.discarding());
    String id = session.path("uploadId").asText();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!call(api, "GET", "/v1/uploads/" + id, user.idToken())
        .path("status")
        .asText()
        .equals("ready")) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("upload " + id + " never became ready");
      }
      Thread.sleep(100);
    }
  }

  /** A reverse proxy in front of the Firestore emulator that counts billed reads in its answers. */
  static final class ReadCounter implements AutoCloseable {
    private static final Pattern FOUND = Pattern.compile("\"(found|missing)\"\\s*:");
    private static final Pattern DOCUMENT = Pattern.compile("\"document\"\\s*:\\s*\\{");
    private final HttpServer server;
    private final ExecutorService executor;
    private final HttpClient client = HttpClient.newHttpClient();
    private final int target;
    private final AtomicLong reads = new AtomicLong();

    ReadCounter(int target) throws Exception {
      this.target = target;
      server = HttpServer.create(new InetSocketAddress(Emulators.LOOPBACK, 0), 64);
      executor =
          Executors.newFixedThreadPool(
              16,
              r -> {
                Thread t = new Thread(r, "read-counter");
                t.setDaemon(true);
                return t;
              });
      server.setExecutor(executor);
      server.createContext("/", this::forward);
      server.start();
    }

    int port() {
      return server.getAddress().getPort();
    }

    long reads() {
      return reads.get();
    }

    private void forward(HttpExchange exchange) {
      try (exchange) {
        byte[] body = exchange.getRequestBody().readAllBytes();
        HttpRequest.Builder request =
            HttpRequest.newBuilder(
                    URI.create(
                        "http://" + Emulators.LOOPBACK + ":" + target + exchange.getRequestURI()))
                .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
        exchange
            .getRequestHeaders()
            .forEach(
                (name, values) -> {
                  String n = name.toLowerCase();
                  if (!Set.of("host", "content-length", "connection", "accept-encoding", "expect")
                      .contains(n)) {
                    values.forEach(v -> request.header(name, v));
                  }
                });
        HttpResponse<byte[]> response =
            client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        count(exchange.getRequestURI().getPath(), response.body());
        response
            .headers()
            .map()
            .forEach(
                (name, values) -> {
                  if (!Set.of("content-length", "transfer-encoding", "connection", ":status")
                      .contains(name.toLowerCase())) {
                    exchange.getResponseHeaders().put(name, values);
                  }
                });
        exchange.sendResponseHeaders(
            response.statusCode(), response.body().length == 0 ? -1 : response.body().length);
        exchange.getResponseBody().write(response.body());
      } catch (Exception e) {
        exchange.close();
      }
    }

    private void count(String path, byte[] body) {
      String text = new String(body, StandardCharsets.UTF_8);
      if (path.endsWith(":batchGet")) {
        reads.addAndGet(matches(FOUND, text));
      } else if (path.endsWith(":runQuery")) {
        reads.addAndGet(Math.max(1, matches(DOCUMENT, text)));
      } else if (path.endsWith(":runAggregationQuery")) {
        reads.incrementAndGet();
      } else if (path.contains("/documents/") && !path.contains(":")) {
        reads.incrementAndGet(); // a plain GET of one document
      }
    }

    private static long matches(Pattern p, String text) {
      Matcher m = p.matcher(text);
      long n = 0;
      while (m.find()) {
        n++;
      }
      return n;
    }

    @Override
    public void close() {
      server.stop(0);
      executor.shutdownNow();
    }
  }
}
