import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.Timestamp;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.FirestoreOptions;
import com.google.cloud.firestore.WriteBatch;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One notification request to N users (two devices each) through the running local stack: published
 * on notification-requests, done when every notification document exists and the FCM fake has
 * accepted every push. The baseline, in the same run, is the fastest raw write of the same N
 * documents in batches of 500 (one after another, and four at a time), and the same pushes sent raw
 * through the Admin SDK (what FCM's one-request-per-message API costs here). Also prints the
 * function host's peak heap during the run (jstat), the JVM notify runs in.
 *
 * <p>Usage: java -cp CLASSPATH NotifyBench.java PUBSUB_HOST FIRESTORE_HOST FCM_HOST PROJECT
 * HOST_PID [recipients=10000]
 */
public class NotifyBench {
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();

  public static void main(String[] a) throws Exception {
    String pubsub = a[0], firestoreHost = a[1], fcm = a[2], project = a[3], hostPid = a[4];
    int n = a.length > 5 ? Integer.parseInt(a[5]) : 10_000;
    System.out.printf(
        "%d recipients x 2 devices, %d cores%n", n, Runtime.getRuntime().availableProcessors());
    Firestore db =
        FirestoreOptions.newBuilder()
            .setProjectId(project)
            .setEmulatorHost(firestoreHost)
            .build()
            .getService();

    // Setup, not measured: users who have used the app, each with two devices.
    String run = Long.toString(System.currentTimeMillis(), 36);
    List<String> uids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      uids.add("bench-" + run + "-" + i);
    }
    long t = System.nanoTime();
    writeUsers(db, uids);
    System.out.printf("seeded %d users in %.1f s%n", n, (System.nanoTime() - t) / 1e9);

    // Warm both paths on a small request.
    raw(db, uids.subList(0, 500), "warm", 1);
    long warmPushes = pushes(fcm);
    cirrus(pubsub, db, fcm, project, uids.subList(0, 500), "warm-" + run, warmPushes);

    for (int round = 1; round <= 2; round++) {
      double sequential = raw(db, uids, "raw-seq-" + round, 1);
      double parallel = raw(db, uids, "raw-par-" + round, 4);
      double fastest = Math.min(sequential, parallel);
      double pushFloor = rawPushes(fcm, project, uids, 4);
      long before = pushes(fcm);
      HeapWatch heap = new HeapWatch(hostPid);
      heap.start();
      double took = cirrus(pubsub, db, fcm, project, uids, "req-" + run + "-" + round, before);
      heap.stop();
      System.out.printf(
          "round %d%n  raw write of %d documents, batches of 500: %.2f s one at a time, %.2f s four at a time%n",
          round, n, sequential, parallel);
      System.out.printf(
          "  notify end to end (%d documents, %d pushes accepted): %.2f s%n", n, 2L * n, took);
      System.out.printf(
          "  the same %d pushes sent raw through the Admin SDK's sendEach, 4 batches of 500 at once: %.2f s%n",
          2L * n, pushFloor);
      System.out.printf(
          "  ratio (fastest raw write time / notify time): %.2f   (goal >= 0.5)%n", fastest / took);
      System.out.printf(
          "  ratio ((raw write + raw pushes) / notify time): %.2f%n", (fastest + pushFloor) / took);
      System.out.printf(
          "  function host heap: peak %.0f MB used of %.0f MB committed (jstat, every 100 ms)%n",
          heap.peakUsedMb(), heap.committedMb());
    }
    db.close();
  }

  /** The pushes alone: the same messages, through the real adapter and Admin SDK, no Firestore. */
  static double rawPushes(String fcm, String project, List<String> uids, int parallel)
      throws Exception {
    dev.cirrus.shared.adapter.gcp.GcpClients clients =
        new dev.cirrus.shared.adapter.gcp.GcpClients(
            dev.cirrus.shared.config.CirrusConfig.fromEnvironment(
                Map.of(
                    "GOOGLE_CLOUD_PROJECT",
                    project,
                    "K_SERVICE",
                    "bench",
                    "FCM_EMULATOR_HOST",
                    fcm)));
    dev.cirrus.shared.adapter.fcm.FcmPushSender sender =
        new dev.cirrus.shared.adapter.fcm.FcmPushSender(clients.messaging());
    dev.cirrus.shared.notifications.StoredNotification n =
        new dev.cirrus.shared.notifications.StoredNotification(
            dev.cirrus.shared.notifications.StoredNotification.idFor("raw-" + System.nanoTime()),
            "promo.bench",
            "Spring sale",
            "Everything half price.",
            Map.of("campaign", "spring"),
            java.time.Instant.now(),
            java.util.Optional.empty());
    List<dev.cirrus.shared.notifications.PushSender.Push> pushes = new ArrayList<>();
    for (String uid : uids) {
      for (String platform : List.of("android", "ios")) {
        String token = "raw-token-" + uid + "-" + platform;
        pushes.add(
            new dev.cirrus.shared.notifications.PushSender.Push(
                uid + "/" + platform,
                token,
                dev.cirrus.shared.users.DevicePlatform.parse(platform),
                n));
      }
    }
    ExecutorService pool = Executors.newFixedThreadPool(parallel);
    long t0 = System.nanoTime();
    List<Future<?>> done = new ArrayList<>();
    for (int start = 0; start < pushes.size(); start += 1000) {
      List<dev.cirrus.shared.notifications.PushSender.Push> chunk =
          pushes.subList(start, Math.min(pushes.size(), start + 1000));
      done.add(pool.submit(() -> sender.send(chunk)));
    }
    for (Future<?> f : done) {
      f.get();
    }
    double took = (System.nanoTime() - t0) / 1e9;
    pool.shutdown();
    return took;
  }

  static void writeUsers(Firestore db, List<String> uids) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<?>> done = new ArrayList<>();
    for (int start = 0; start < uids.size(); start += 250) {
      List<String> chunk = uids.subList(start, Math.min(uids.size(), start + 250));
      done.add(
          pool.submit(
              () -> {
                WriteBatch batch = db.batch();
                for (String uid : chunk) {
                  Map<String, Object> targets = new HashMap<>();
                  Map<String, Object> user = new HashMap<>();
                  for (String platform : List.of("android", "ios")) {
                    String token = "bench-token-" + uid + "-" + platform;
                    String id = deviceId(token);
                    Map<String, Object> device =
                        Map.of("token", token, "platform", platform, "createdAt", Timestamp.now());
                    targets.put(id, device);
                    batch.set(
                        db.collection("users").document(uid).collection("devices").document(id),
                        Map.of(
                            "token",
                            token,
                            "platform",
                            platform,
                            "createdAt",
                            Timestamp.now(),
                            "lastSeenAt",
                            Timestamp.now()));
                  }
                  user.put("email", uid + "@example.com");
                  user.put("settings", Map.of("mutedTypes", List.of()));
                  user.put(
                      "quota", Map.of("usedBytes", 0L, "fileCount", 0L, "limitBytes", 1L << 30));
                  user.put("createdAt", Timestamp.now());
                  user.put("updatedAt", Timestamp.now());
                  user.put("pushTargets", targets);
                  batch.set(db.collection("users").document(uid), user);
                }
                batch.commit().get();
                return null;
              }));
    }
    for (Future<?> f : done) {
      f.get();
    }
    pool.shutdown();
  }

  static String deviceId(String token) throws Exception {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(
            MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
  }

  /** The floor: the same documents, written in batches of 500, {@code parallel} batches at once. */
  static double raw(Firestore db, List<String> uids, String id, int parallel) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(parallel);
    long t0 = System.nanoTime();
    List<Future<?>> done = new ArrayList<>();
    for (int start = 0; start < uids.size(); start += 500) {
      List<String> chunk = uids.subList(start, Math.min(uids.size(), start + 500));
      done.add(
          pool.submit(
              () -> {
                WriteBatch batch = db.batch();
                for (String uid : chunk) {
                  Map<String, Object> doc = new HashMap<>();
                  doc.put("id", id);
                  doc.put("type", "promo.bench");
                  doc.put("title", "Spring sale");
                  doc.put("body", "Everything half price.");
                  doc.put("data", Map.of("campaign", "spring"));
                  doc.put("createdAt", Timestamp.now());
                  doc.put("readAt", null);
                  batch.create(
                      db.collection("users").document(uid).collection("notifications").document(id),
                      doc);
                }
                batch.commit().get();
                return null;
              }));
    }
    for (Future<?> f : done) {
      f.get();
    }
    pool.shutdown();
    return (System.nanoTime() - t0) / 1e9;
  }

  /** Publishes the request and waits until every document is written and every push accepted. */
  static double cirrus(
      String pubsub,
      Firestore db,
      String fcm,
      String project,
      List<String> uids,
      String requestId,
      long pushesBefore)
      throws Exception {
    Map<String, Object> request =
        Map.of(
            "requestId",
            requestId,
            "type",
            "promo.bench",
            "recipients",
            Map.of("uids", uids),
            "title",
            "Spring sale",
            "body",
            "Everything half price.",
            "data",
            Map.of("campaign", "spring"));
    String body =
        JSON.writeValueAsString(
            Map.of(
                "messages",
                List.of(
                    Map.of(
                        "data",
                        Base64.getEncoder().encodeToString(JSON.writeValueAsBytes(request))))));
    String notificationId =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(
                MessageDigest.getInstance("SHA-256")
                    .digest(("request:" + requestId).getBytes(StandardCharsets.UTF_8)));
    long t0 = System.nanoTime();
    HttpResponse<String> published =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://"
                            + pubsub
                            + "/v1/projects/"
                            + project
                            + "/topics/notification-requests:publish"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (published.statusCode() != 200) {
      throw new IllegalStateException(published.body());
    }
    long want = pushesBefore + 2L * uids.size();
    long deadline = System.nanoTime() + 600_000_000_000L;
    while (pushes(fcm) < want) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("pushes stuck at " + (pushes(fcm) - pushesBefore));
      }
      Thread.sleep(50);
    }
    long documents;
    while ((documents =
            db.collectionGroup("notifications")
                .whereEqualTo("id", notificationId)
                .count()
                .get()
                .get()
                .getCount())
        < uids.size()) {
      Thread.sleep(50);
    }
    double took = (System.nanoTime() - t0) / 1e9;
    if (pushes(fcm) != want) {
      throw new IllegalStateException("a device got a push twice: " + (pushes(fcm) - pushesBefore));
    }
    return took;
  }

  static long pushes(String fcm) throws Exception {
    String body =
        HTTP.send(
                HttpRequest.newBuilder(URI.create("http://" + fcm + "/_fake/messages?count"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    return JSON.readTree(body).path("count").asLong();
  }

  /** Samples the function host's heap with jstat. */
  static final class HeapWatch {
    private final String pid;
    private final AtomicLong peakKb = new AtomicLong();
    private final AtomicLong committedKb = new AtomicLong();
    private Process jstat;
    private Thread reader;

    HeapWatch(String pid) {
      this.pid = pid;
    }

    void start() throws Exception {
      jstat = new ProcessBuilder("jstat", "-gc", pid, "100").redirectErrorStream(true).start();
      reader =
          new Thread(
              () -> {
                try (var in =
                    new java.io.BufferedReader(
                        new java.io.InputStreamReader(jstat.getInputStream()))) {
                  String header = in.readLine();
                  if (header == null) {
                    return;
                  }
                  List<String> names = List.of(header.trim().split("\\s+"));
                  String line;
                  while ((line = in.readLine()) != null) {
                    String[] v = line.trim().split("\\s+");
                    double used =
                        value(names, v, "S0U")
                            + value(names, v, "S1U")
                            + value(names, v, "EU")
                            + value(names, v, "OU");
                    double committed =
                        value(names, v, "S0C")
                            + value(names, v, "S1C")
                            + value(names, v, "EC")
                            + value(names, v, "OC");
                    peakKb.accumulateAndGet((long) used, Math::max);
                    committedKb.accumulateAndGet((long) committed, Math::max);
                  }
                } catch (Exception e) {
                  // jstat ended
                }
              });
      reader.start();
    }

    private static double value(List<String> names, String[] values, String name) {
      int i = names.indexOf(name);
      return i < 0 || i >= values.length ? 0 : Double.parseDouble(values[i]);
    }

    void stop() throws Exception {
      jstat.destroy();
      reader.join(2000);
    }

    double peakUsedMb() {
      return peakKb.get() / 1024.0;
    }

    double committedMb() {
      return committedKb.get() / 1024.0;
    }
  }
}
