import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.FirestoreOptions;
import dev.cirrus.local.emulators.ProcessStats;
import dev.cirrus.shared.files.ImageInfo;
import dev.cirrus.shared.processing.ImageInspector;
import dev.cirrus.shared.processing.Thumbnailer;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.imageio.ImageIO;

/**
 * N photos of 1-4 MB through the running local stack (session, PUT, finalize notification,
 * process-upload, file.ready on file-events), against a baseline in the same run, at the same
 * concurrency, that does in one process the work the service must do for each file: the upload, one
 * read of the bytes computing the three digests (MD5 and CRC32C to check against the object,
 * SHA-256 for the record), the thumbnail (the same Thumbnailer), storing it and the original in the
 * files bucket (server-side copy), two Firestore writes (the file and its upload) and deleting the
 * quarantined object. What the baseline leaves out is what Cirrus adds for being event-driven and
 * retry-safe: sessions, the finalize notification and its push, claims, the state machine's
 * transactions, quota and the file.ready message.
 *
 * <p>Usage: java -cp CLASSPATH PipelineBench.java API_URL AUTH_HOST STORAGE_URL PUBSUB_HOST
 * FIRESTORE_HOST PROJECT [files=200] [concurrency=8]
 */
public class PipelineBench {
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final Thumbnailer THUMBNAILER = new Thumbnailer(256, 0.85f);
  static final ImageInspector INSPECTOR = new ImageInspector(100_000_000L, 25_000_000L);

  public static void main(String[] a) throws Exception {
    String api = a[0],
        auth = a[1],
        storage = a[2],
        pubsub = a[3],
        firestoreHost = a[4],
        project = a[5];
    int files = a.length > 6 ? Integer.parseInt(a[6]) : 200;
    int concurrency = a.length > 7 ? Integer.parseInt(a[7]) : 8;
    List<byte[]> photos = new ArrayList<>();
    Random random = new Random(1);
    for (int i = 0; i < 8; i++) {
      photos.add(photo(1200 + random.nextInt(1300), 900 + random.nextInt(1000), random));
    }
    long total = 0;
    for (int i = 0; i < files; i++) {
      total += photos.get(i % photos.size()).length;
    }
    System.out.printf(
        "%d photos, %.1f MB in all (%.1f-%.1f MB each), concurrency %d, %d cores%n",
        files,
        total / 1e6,
        photos.stream().mapToInt(p -> p.length).min().getAsInt() / 1e6,
        photos.stream().mapToInt(p -> p.length).max().getAsInt() / 1e6,
        concurrency,
        Runtime.getRuntime().availableProcessors());
    Firestore firestore =
        FirestoreOptions.newBuilder()
            .setProjectId(project)
            .setEmulatorHost(firestoreHost)
            .build()
            .getService();

    // Warm both paths (JIT, connections, first instance) before measuring.
    pipeline(api, auth, pubsub, project, photos, 8, concurrency);
    baseline(storage, project, firestore, photos, 8, concurrency);

    for (int round = 1; round <= 2; round++) {
      Map<String, Double> cpu0 = cpuSeconds();
      Result raw = baseline(storage, project, firestore, photos, files, concurrency);
      Map<String, Double> cpu1 = cpuSeconds();
      Result cirrus = pipeline(api, auth, pubsub, project, photos, files, concurrency);
      Map<String, Double> cpu2 = cpuSeconds();
      System.out.println("  CPU ms per file by process (baseline | cirrus):");
      double rawTotal = 0, cirrusTotal = 0;
      for (String part : cpu2.keySet()) {
        double rawMs = 1000 * (cpu1.getOrDefault(part, 0.0) - cpu0.getOrDefault(part, 0.0)) / files;
        double cirrusMs = 1000 * (cpu2.get(part) - cpu1.getOrDefault(part, 0.0)) / files;
        rawTotal += rawMs;
        cirrusTotal += cirrusMs;
        System.out.printf("    %-22s %6.0f | %6.0f%n", part, rawMs, cirrusMs);
      }
      // When both sides keep every core busy, files per second go as the inverse of CPU per file.
      System.out.printf(
          "    %-22s %6.0f | %6.0f   (ratio of CPU per file: %.2f)%n",
          "all", rawTotal, cirrusTotal, rawTotal / cirrusTotal);
      System.out.printf(
          "round %d%n  baseline: %6.1f files/s  finalize->done p50 %5.0f ms  p99 %5.0f ms%n",
          round, raw.perSecond(), raw.p(50), raw.p(99));
      System.out.printf(
          "  cirrus:   %6.1f files/s  finalize->file.ready p50 %5.0f ms  p99 %5.0f ms%n",
          cirrus.perSecond(), cirrus.p(50), cirrus.p(99));
      System.out.printf(
          "  ratio (cirrus / baseline files per second): %.2f   (goal >= 0.7); 503s retried so far: %d%n",
          cirrus.perSecond() / raw.perSecond(), RETRIED_503.get());
    }
    firestore.close();
  }

  /** CPU seconds used so far by each part of the stack and by this benchmark. */
  static Map<String, Double> cpuSeconds() throws Exception {
    // First match wins: class paths name firebase-admin, so the specific names come first.
    LinkedHashMap<String, String> parts = new LinkedHashMap<>();
    parts.put("PipelineBench", "benchmark client");
    parts.put("FunctionHostMain", "function host");
    parts.put("LocalStackMain", "storage+gateway+bridge");
    parts.put("cloud-firestore-emulator", "firestore emulator");
    parts.put("pubsub-emulator", "pubsub emulator");
    parts.put("emulator-config/node_modules", "auth emulator");
    return ProcessStats.cpuSecondsByCommand(parts);
  }

  record Result(int files, double seconds, List<Double> latencies) {
    double perSecond() {
      return files / seconds;
    }

    double p(int percentile) {
      List<Double> sorted = new ArrayList<>(latencies);
      Collections.sort(sorted);
      return sorted.get(
          Math.min(sorted.size() - 1, (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1));
    }
  }

  static Result pipeline(
      String api,
      String auth,
      String pubsub,
      String project,
      List<byte[]> photos,
      int files,
      int concurrency)
      throws Exception {
    String token = signUp(auth, project);
    String subscription = "bench-" + UUID.randomUUID();
    send(
        "PUT",
        "http://" + pubsub + "/v1/projects/" + project + "/subscriptions/" + subscription,
        Map.of("topic", "projects/" + project + "/topics/file-events", "ackDeadlineSeconds", 60),
        null);
    Map<String, Long> finalized = new ConcurrentHashMap<>();
    Map<String, Long> ready = new ConcurrentHashMap<>();
    Map<String, String> rejected = new ConcurrentHashMap<>();
    Thread watcher = new Thread(() -> watch(pubsub, project, subscription, ready, rejected, files));
    watcher.setDaemon(true);
    watcher.start();
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    long t0 = System.nanoTime();
    List<Future<?>> jobs = new ArrayList<>();
    for (int i = 0; i < files; i++) {
      byte[] photo = photos.get(i % photos.size());
      jobs.add(
          pool.submit(
              () -> {
                JsonNode session =
                    send(
                        "POST",
                        api + "/v1/uploads",
                        Map.of(
                            "filename", "p.jpg", "contentType", "image/jpeg", "size", photo.length),
                        token);
                HttpResponse<String> put =
                    HTTP.send(
                        HttpRequest.newBuilder(URI.create(session.path("uploadUrl").asText()))
                            .PUT(HttpRequest.BodyPublishers.ofByteArray(photo))
                            .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (put.statusCode() != 200) {
                  throw new IllegalStateException("PUT " + put.statusCode() + " " + put.body());
                }
                finalized.put(session.path("uploadId").asText(), System.nanoTime());
                // The app keeps at most `concurrency` uploads in flight: it waits for its file.
                String id = session.path("uploadId").asText();
                long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
                while (!ready.containsKey(id)) {
                  if (rejected.containsKey(id)) {
                    throw new IllegalStateException(
                        "upload " + id + " was rejected: " + rejected.get(id));
                  }
                  if (!watcher.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("no file-events message for upload " + id);
                  }
                  Thread.sleep(5);
                }
                return null;
              }));
    }
    try {
      for (Future<?> job : jobs) {
        job.get();
      }
    } finally {
      // A refused upload ends the bench: no worker may keep the JVM alive after it.
      pool.shutdownNow();
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    watcher.join();
    List<Double> latencies = new ArrayList<>();
    finalized.forEach((id, at) -> latencies.add((ready.get(id) - at) / 1e6));
    return new Result(files, seconds, latencies);
  }

  /** Records each upload's file.ready (when) or file.rejected (why), until every file has one. */
  static void watch(
      String pubsub,
      String project,
      String subscription,
      Map<String, Long> ready,
      Map<String, String> rejected,
      int files) {
    String base = "http://" + pubsub + "/v1/projects/" + project + "/subscriptions/" + subscription;
    try {
      while (ready.size() + rejected.size() < files) {
        JsonNode pulled =
            send(
                "POST",
                base + ":pull",
                Map.of("maxMessages", 100, "returnImmediately", false),
                null);
        List<String> acks = new ArrayList<>();
        for (JsonNode m : pulled.path("receivedMessages")) {
          acks.add(m.path("ackId").asText());
          JsonNode event =
              JSON.readTree(Base64.getDecoder().decode(m.path("message").path("data").asText()));
          String type = event.path("type").asText();
          if (type.equals("file.ready")) {
            ready.putIfAbsent(event.path("uploadId").asText(), System.nanoTime());
          } else if (type.equals("file.rejected")) {
            rejected.putIfAbsent(event.path("uploadId").asText(), event.path("reason").asText());
          }
        }
        if (!acks.isEmpty()) {
          send("POST", base + ":acknowledge", Map.of("ackIds", acks), null);
        }
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static Result baseline(
      String storage,
      String project,
      Firestore firestore,
      List<byte[]> photos,
      int files,
      int concurrency)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
    long t0 = System.nanoTime();
    List<Future<?>> jobs = new ArrayList<>();
    for (int i = 0; i < files; i++) {
      byte[] photo = photos.get(i % photos.size());
      jobs.add(
          pool.submit(
              () -> {
                String name = "bench/" + UUID.randomUUID();
                String enc = name.replace("/", "%2F");
                HttpResponse<String> put =
                    HTTP.send(
                        HttpRequest.newBuilder(
                                URI.create(
                                    storage
                                        + "/upload/storage/v1/b/"
                                        + project
                                        + "-uploads/o?uploadType=media&name="
                                        + enc))
                            .POST(HttpRequest.BodyPublishers.ofByteArray(photo))
                            .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (put.statusCode() != 200) {
                  throw new IllegalStateException("upload " + put.statusCode());
                }
                long finalizedAt = System.nanoTime();
                String objectUrl = storage + "/storage/v1/b/" + project + "-uploads/o/" + enc;
                // One read of the bytes, digested as they arrive and spooled for the decoder.
                java.nio.file.Path spool = java.nio.file.Files.createTempFile("bench", ".jpg");
                try {
                  java.security.MessageDigest md5 = java.security.MessageDigest.getInstance("MD5");
                  java.security.MessageDigest sha256 =
                      java.security.MessageDigest.getInstance("SHA-256");
                  java.util.zip.CRC32C crc32c = new java.util.zip.CRC32C();
                  try (java.io.InputStream in =
                          HTTP.send(
                                  HttpRequest.newBuilder(
                                          URI.create(
                                              storage
                                                  + "/download/storage/v1/b/"
                                                  + project
                                                  + "-uploads/o/"
                                                  + enc
                                                  + "?alt=media"))
                                      .build(),
                                  HttpResponse.BodyHandlers.ofInputStream())
                              .body();
                      java.io.OutputStream out = java.nio.file.Files.newOutputStream(spool)) {
                    byte[] buffer = new byte[64 * 1024];
                    int n;
                    while ((n = in.read(buffer)) > 0) {
                      md5.update(buffer, 0, n);
                      sha256.update(buffer, 0, n);
                      crc32c.update(buffer, 0, n);
                      out.write(buffer, 0, n);
                    }
                  }
                  JsonNode object =
                      JSON.readTree(
                          HTTP.send(
                                  HttpRequest.newBuilder(URI.create(objectUrl)).build(),
                                  HttpResponse.BodyHandlers.ofString())
                              .body());
                  if (!object
                      .path("md5Hash")
                      .asText()
                      .equals(Base64.getEncoder().encodeToString(md5.digest()))) {
                    throw new IllegalStateException("MD5 differs from the object's");
                  }
                  // Cloud Storage's crc32c: the big-endian CRC32C, base64.
                  String crc =
                      Base64.getEncoder()
                          .encodeToString(
                              java.nio.ByteBuffer.allocate(4)
                                  .putInt((int) crc32c.getValue())
                                  .array());
                  if (!object.path("crc32c").asText().equals(crc)) {
                    throw new IllegalStateException("CRC32C differs from the object's");
                  }
                  ImageInfo info = INSPECTOR.inspect(spool, "image/jpeg");
                  Thumbnailer.Rendered thumb = THUMBNAILER.render(spool, info);
                  HttpResponse<String> stored =
                      HTTP.send(
                          HttpRequest.newBuilder(
                                  URI.create(
                                      storage
                                          + "/upload/storage/v1/b/"
                                          + project
                                          + "-files/o?uploadType=media&name="
                                          + enc
                                          + ".thumb.jpg"))
                              .POST(HttpRequest.BodyPublishers.ofByteArray(thumb.jpeg()))
                              .build(),
                          HttpResponse.BodyHandlers.ofString());
                  if (stored.statusCode() != 200) {
                    throw new IllegalStateException("thumbnail upload " + stored.statusCode());
                  }
                  int copied =
                      HTTP.send(
                              HttpRequest.newBuilder(
                                      URI.create(
                                          objectUrl
                                              + "/rewriteTo/b/"
                                              + project
                                              + "-files/o/"
                                              + enc))
                                  .POST(HttpRequest.BodyPublishers.noBody())
                                  .build(),
                              HttpResponse.BodyHandlers.discarding())
                          .statusCode();
                  if (copied != 200) {
                    throw new IllegalStateException("copy to the files bucket " + copied);
                  }
                  String sha = java.util.HexFormat.of().formatHex(sha256.digest());
                  firestore
                      .collection("bench-files")
                      .document(UUID.randomUUID().toString())
                      .set(
                          Map.of(
                              "name",
                              name,
                              "sha256",
                              sha,
                              "crc32c",
                              crc32c.getValue(),
                              "width",
                              info.width(),
                              "height",
                              info.height()))
                      .get();
                  firestore
                      .collection("bench-uploads")
                      .document(UUID.randomUUID().toString())
                      .set(Map.of("status", "ready", "name", name))
                      .get();
                } finally {
                  java.nio.file.Files.deleteIfExists(spool);
                }
                int deleted =
                    HTTP.send(
                            HttpRequest.newBuilder(URI.create(objectUrl)).DELETE().build(),
                            HttpResponse.BodyHandlers.discarding())
                        .statusCode();
                if (deleted != 204) {
                  throw new IllegalStateException("delete of the quarantined object " + deleted);
                }
                latencies.add((System.nanoTime() - finalizedAt) / 1e6);
                return null;
              }));
    }
    try {
      for (Future<?> job : jobs) {
        job.get();
      }
    } finally {
      pool.shutdownNow();
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    return new Result(files, seconds, latencies);
  }

  /**
   * A user with a verified email, as a photo backup's user is: an unverified account may store only
   * 100 MiB, less than the bench sends.
   */
  static String signUp(String auth, String project) throws Exception {
    String base = "http://" + auth + "/identitytoolkit.googleapis.com/v1/";
    String email = UUID.randomUUID() + "@example.com";
    Map<String, Object> credentials =
        Map.of("email", email, "password", "secret123", "returnSecureToken", true);
    String uid =
        send("POST", base + "accounts:signUp?key=fake-api-key", credentials, null)
            .path("localId")
            .asText();
    send(
        "POST",
        base + "projects/" + project + "/accounts:update",
        Map.of("localId", uid, "emailVerified", true),
        "owner");
    return send("POST", base + "accounts:signInWithPassword?key=fake-api-key", credentials, null)
        .path("idToken")
        .asText();
  }

  static final java.util.concurrent.atomic.AtomicInteger RETRIED_503 =
      new java.util.concurrent.atomic.AtomicInteger();

  /** As a mobile client does: a 503 is retried after a short backoff (counted and reported). */
  static JsonNode send(String method, String url, Object body, String token) throws Exception {
    for (int attempt = 1; ; attempt++) {
      try {
        return sendOnce(method, url, body, token);
      } catch (Unavailable e) {
        if (attempt == 5) {
          throw e;
        }
        RETRIED_503.incrementAndGet();
        Thread.sleep(200L * attempt);
      }
    }
  }

  static final class Unavailable extends IllegalStateException {
    Unavailable(String message) {
      super(message);
    }
  }

  static JsonNode sendOnce(String method, String url, Object body, String token) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url))
            .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
            .header("Content-Type", "application/json");
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> response =
        HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() == 503) {
      throw new Unavailable(method + " " + url + " -> 503 " + response.body());
    }
    if (response.statusCode() >= 300) {
      throw new IllegalStateException(
          method + " " + url + " -> " + response.statusCode() + " " + response.body());
    }
    return JSON.readTree(response.body().isEmpty() ? "{}" : response.body());
  }

  /** A noisy JPEG of 1-4 MB, like a phone photo. */
  static byte[] photo(int width, int height, Random random) throws Exception {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, random.nextInt(0x1000000));
      }
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ImageIO.write(image, "jpeg", bytes);
    return bytes.toByteArray();
  }
}
