package dev.cirrus.local.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.QueryDocumentSnapshot;
import com.google.cloud.storage.Storage;
import dev.cirrus.local.emulators.AuthEmulatorClient;
import dev.cirrus.local.emulators.FcmFake;
import dev.cirrus.local.emulators.ProjectLayout;
import dev.cirrus.local.emulators.PubSubAdmin;
import dev.cirrus.shared.processing.TestImages;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The chaos run: 30 uploads and a notification request to 50 users in flight while the function
 * host is killed three times (SIGKILL) at random moments, the storage emulator fails the functions'
 * reads (503s, a reset connection, downloads broken mid-stream: its retry-test API, aimed at the
 * host's calls by their {@code x-retry-test-id}), and FCM answers UNAVAILABLE for a while. Then
 * nothing is lost and nothing is doubled: every upload ends as its bytes deserve with one file
 * each, the quota is the sum of the files exactly, every recipient has one notification, no object
 * is left that no document names, and nothing went to the dead letters.
 *
 * <p>Seeded: the seed is printed, and {@code -Dcirrus.chaos.seed=N} replays the same choices (which
 * upload is what, the faults' order, the moments of the kills).
 */
class ChaosTest {
  /** The storage emulator's retry test every Cloud Storage call of this stack's host names. */
  private static final String STORAGE_FAULTS = "chaos-faults";

  private static LocalStack stack;
  private static StackApi api;
  private static Firestore firestore;
  private static Storage storage;
  private static FcmFake fcm;
  private static PubSubAdmin pubsub;

  /** What an upload is, and so how it must end. */
  private enum Kind {
    JPEG,
    TEXT,
    /** Text declared as a JPEG: rejected as a type mismatch. */
    FAKE_JPEG
  }

  /**
   * @param key the upload's Idempotency-Key: every retry of its create sends it, so a create whose
   *     answer was lost is not made twice
   */
  private record Planned(
      AuthEmulatorClient.User owner, String name, Kind kind, byte[] bytes, String key) {
    String contentType() {
      return kind == Kind.TEXT ? "text/plain" : "image/jpeg";
    }

    String expected() {
      return kind == Kind.FAKE_JPEG ? "rejected" : "ready";
    }
  }

  /**
   * A stack of its own, redelivering as deployed (10 s doubling to 600 s, five attempts): the
   * shared stack's quick redeliveries would dead-letter an event whose claim a killed instance
   * still holds, where production's backoff outlives the claim's lease. Its function host names
   * {@link #STORAGE_FAULTS} in every Cloud Storage call.
   */
  @BeforeAll
  static void start() throws Exception {
    Map<String, String> settings = new HashMap<>(RunningStack.SETTINGS);
    settings.put("CIRRUS_STORAGE_RETRY_TEST_ID", STORAGE_FAULTS);
    stack =
        LocalStack.start(
            ProjectLayout.locate(),
            RunningStack.PROJECT,
            LocalStack.Ports.free(),
            FunctionCatalog.functions(),
            Files.createTempDirectory("cirrus-chaos"),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            settings,
            LocalStack.Retry.AS_DEPLOYED,
            StackData.Seed.EMPTY);
    api = new StackApi(stack);
    firestore = StackClients.firestore(stack);
    storage = StackClients.storage(stack);
    fcm = stack.fcm();
    pubsub = new PubSubAdmin(stack.endpoints().pubsubHost(), RunningStack.PROJECT);
  }

  @AfterAll
  static void stop() throws Exception {
    firestore.close();
    storage.close();
    stack.close();
  }

  @Test
  void nothingIsLostOrDoubledWhenTheHostDiesReadsFailAndFcmIsDown() throws Exception {
    long seed = Long.getLong("cirrus.chaos.seed", System.nanoTime());
    System.out.println("chaos seed " + seed + " (replay: -Dcirrus.chaos.seed=" + seed + ")");
    Random random = new Random(seed);

    List<AuthEmulatorClient.User> owners = List.of(api.newUser(), api.newUser());
    List<Planned> plan = plan(owners, random);
    List<Recipient> recipients = recipients(50);
    String requestId = "chaos-" + UUID.randomUUID();

    createStorageFaults(random);
    int replacedBefore = stack.functionHostReplacements();
    ExecutorService pool = Executors.newFixedThreadPool(plan.size() + 1);
    try {
      Future<?> killer = pool.submit(() -> killThreeTimes(random));
      List<Future<String>> uploads = new ArrayList<>();
      for (Planned planned : plan) {
        uploads.add(pool.submit(() -> upload(planned)));
      }
      Thread.sleep(200 + random.nextInt(800));
      fcm.unavailableFor(Duration.ofSeconds(4));
      publish(requestId, recipients);

      List<String> uploadIds = new ArrayList<>();
      for (Future<String> f : uploads) {
        uploadIds.add(f.get(300, TimeUnit.SECONDS));
      }
      killer.get(300, TimeUnit.SECONDS);

      assertThat(stack.functionHostReplacements()).isEqualTo(replacedBefore + 3);
      Set<String> readyFileIds = new HashSet<>();
      for (int i = 0; i < plan.size(); i++) {
        Planned planned = plan.get(i);
        JsonNode done =
            api.awaitFinal(planned.owner().idToken(), uploadIds.get(i), Duration.ofSeconds(240));
        assertThat(done.path("status").asText())
            .as("%s (%s, seed %d): %s", planned.name(), planned.kind(), seed, done)
            .isEqualTo(planned.expected());
        if (planned.expected().equals("ready")) {
          readyFileIds.add(done.path("fileId").asText());
        }
      }
      for (AuthEmulatorClient.User owner : owners) {
        assertOneFileEachAndAnExactQuota(owner, plan, readyFileIds, seed);
        assertNoOrphanedObjects(owner, seed);
      }
      assertOneNotificationEach(recipients, requestId, seed);
      assertThat(fcm.refusedInOutage()).as("FCM was down for some pushes").isPositive();
      assertThat(faultsLeft()).as("every injected storage fault met a function's read").isEmpty();
      assertNoDeadLetters(owners, uploadIds, requestId, seed);
    } finally {
      pool.shutdownNow();
    }
  }

  /** 15 uploads each for two owners: JPEGs, text, and text declared as a JPEG, in seeded order. */
  private static List<Planned> plan(List<AuthEmulatorClient.User> owners, Random random) {
    List<Planned> plan = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      AuthEmulatorClient.User owner = owners.get(i % 2);
      Kind kind = Kind.values()[(i / 2) % 5 < 2 ? 0 : (i / 2) % 5 < 4 ? 1 : 2];
      byte[] bytes =
          switch (kind) {
            case JPEG ->
                TestImages.noisyJpeg(
                    320 + random.nextInt(900),
                    240 + random.nextInt(700),
                    new TestImages.Exif(1, null, null, null, false),
                    random.nextLong());
            case TEXT, FAKE_JPEG -> text(random, 10 + random.nextInt(20_000));
          };
      String name = "chaos-" + i + (kind == Kind.TEXT ? ".txt" : ".jpg");
      plan.add(new Planned(owner, name, kind, bytes, new UUID(random.nextLong(), i).toString()));
    }
    Collections.shuffle(plan, random);
    return plan;
  }

  private static byte[] text(Random random, int length) {
    StringBuilder text = new StringBuilder();
    while (text.length() < length) {
      text.append("line ").append(random.nextInt(1_000_000)).append('\n');
    }
    return text.substring(0, length).getBytes(StandardCharsets.UTF_8);
  }

  private record Recipient(AuthEmulatorClient.User user, String token) {}

  /** Users who have used the app (their profile exists) with one Android device each. */
  private static List<Recipient> recipients(int count) throws Exception {
    List<Recipient> recipients = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      AuthEmulatorClient.User user = api.newUser();
      assertThat(api.call("GET", "/v1/me", user.idToken(), null).statusCode()).isEqualTo(200);
      String token = "fcm-chaos-" + UUID.randomUUID();
      HttpResponse<String> device =
          api.call(
              "POST",
              "/v1/me/devices",
              user.idToken(),
              "{\"token\":\"" + token + "\",\"platform\":\"android\"}");
      assertThat(device.statusCode()).as(device.body()).isEqualTo(201);
      recipients.add(new Recipient(user, token));
    }
    return recipients;
  }

  /**
   * The functions' reads (object metadata and downloads are both {@code storage.objects.get}) meet
   * 503s, a reset connection and downloads broken after 8 KiB, in seeded order.
   */
  private static void createStorageFaults(Random random) throws Exception {
    List<String> faults =
        new ArrayList<>(
            List.of(
                "return-503",
                "return-503",
                "return-503",
                "return-503",
                "return-reset-connection",
                "return-broken-stream-after-8K",
                "return-broken-stream-after-8K"));
    Collections.shuffle(faults, random);
    HttpResponse<String> created =
        control(
            "POST",
            "/retry_test",
            StackApi.JSON.writeValueAsString(
                Map.of(
                    "id", STORAGE_FAULTS, "instructions", Map.of("storage.objects.get", faults))));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
  }

  /** The instructions not yet met. */
  private static List<String> faultsLeft() throws Exception {
    HttpResponse<String> test = control("GET", "/retry_test/" + STORAGE_FAULTS, null);
    List<String> left = new ArrayList<>();
    StackApi.JSON
        .readTree(test.body())
        .path("instructions")
        .path("storage.objects.get")
        .forEach(i -> left.add(i.asText()));
    return left;
  }

  private static HttpResponse<String> control(String method, String path, String body)
      throws Exception {
    return StackApi.send(
        method, URI.create(stack.endpoints().storageHost() + path), body, Map.of());
  }

  /** SIGKILL three times, at seeded moments, each after the last replacement is serving. */
  private static Void killThreeTimes(Random random) throws Exception {
    for (int k = 0; k < 3; k++) {
      Thread.sleep(300 + random.nextInt(2_500));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> ProcessHandle.of(stack.functionHostPid()).isPresent());
      int replaced = stack.functionHostReplacements();
      ProcessHandle host = ProcessHandle.of(stack.functionHostPid()).orElseThrow();
      assertThat(host.destroyForcibly()).isTrue();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> stack.functionHostReplacements() == replaced + 1);
    }
    return null;
  }

  /**
   * As a mobile client does it: the session is asked for again while the gateway answers 503 (no
   * instance up in time) or 429, then the bytes go to the session.
   */
  private static String upload(Planned planned) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(150).toNanos();
    while (true) {
      assertThat(System.nanoTime()).as("a session within 150 s").isLessThan(deadline);
      HttpResponse<String> created;
      try {
        created =
            api.call(
                "POST",
                "/v1/uploads",
                planned.owner().idToken(),
                StackApi.JSON.writeValueAsString(
                    Map.of(
                        "filename", planned.name(),
                        "contentType", planned.contentType(),
                        "size", planned.bytes().length)),
                Map.of("Idempotency-Key", planned.key()));
      } catch (HttpTimeoutException e) {
        // No answer in 30 s, as a phone gives up: asked again.
        continue;
      }
      if (created.statusCode() == 201) {
        JsonNode session = StackApi.json(created);
        HttpResponse<String> put =
            StackApi.put(session.path("uploadUrl").asText(), planned.bytes(), null, Map.of());
        assertThat(put.statusCode()).as(put.body()).isIn(200, 201);
        return session.path("uploadId").asText();
      }
      // 502: the instance died under this request (a session may have been made: the key finds
      // it). 503: no instance up within the request's wait. 429: slow down.
      assertThat(created.statusCode()).as(created.body()).isIn(429, 502, 503);
      Thread.sleep(500);
    }
  }

  private static void publish(String requestId, List<Recipient> recipients) throws Exception {
    List<String> uids = recipients.stream().map(r -> r.user().uid()).toList();
    byte[] body =
        StackApi.JSON.writeValueAsBytes(
            Map.of(
                "requestId", requestId,
                "type", "promo.chaos",
                "recipients", Map.of("uids", uids),
                "title", "Still here",
                "body", "Whatever happened meanwhile."));
    pubsub.publish("notification-requests", Map.of(), body);
  }

  private static void assertOneFileEachAndAnExactQuota(
      AuthEmulatorClient.User owner, List<Planned> plan, Set<String> readyFileIds, long seed)
      throws Exception {
    List<QueryDocumentSnapshot> files =
        firestore
            .collection("files")
            .whereEqualTo("ownerUid", owner.uid())
            .get()
            .get()
            .getDocuments();
    long expectedBytes =
        plan.stream()
            .filter(p -> p.owner().equals(owner) && p.expected().equals("ready"))
            .mapToLong(p -> p.bytes().length)
            .sum();
    long expectedFiles =
        plan.stream().filter(p -> p.owner().equals(owner) && p.expected().equals("ready")).count();
    assertThat(files).as("seed %d", seed).hasSize((int) expectedFiles);
    for (QueryDocumentSnapshot file : files) {
      assertThat(readyFileIds).contains(file.getId());
      assertThat(file.getString("status")).isEqualTo("ready");
    }
    JsonNode me = StackApi.json(api.call("GET", "/v1/me", owner.idToken(), null));
    assertThat(me.path("quota").path("usedBytes").asLong())
        .as("seed %d", seed)
        .isEqualTo(expectedBytes);
    assertThat(me.path("quota").path("fileCount").asLong()).isEqualTo(expectedFiles);
  }

  /**
   * Nothing of the owner is left in the uploads bucket (every upload ended), and every object of
   * theirs in the files bucket is one a file document names: its original or a thumbnail.
   */
  @SuppressWarnings("unchecked")
  private static void assertNoOrphanedObjects(AuthEmulatorClient.User owner, long seed)
      throws Exception {
    String uploads = RunningStack.PROJECT + "-uploads";
    String files = RunningStack.PROJECT + "-files";
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () ->
                StackClients.objectNames(storage, uploads, "uploads/" + owner.uid() + "/")
                    .isEmpty());
    Set<String> named = new HashSet<>();
    for (QueryDocumentSnapshot file :
        firestore
            .collection("files")
            .whereEqualTo("ownerUid", owner.uid())
            .get()
            .get()
            .getDocuments()) {
      named.add(file.getString("originalObject"));
      for (Map<String, Object> thumbnail : (List<Map<String, Object>>) file.get("thumbnails")) {
        named.add((String) thumbnail.get("objectName"));
      }
    }
    assertThat(StackClients.objectNames(storage, files, "files/" + owner.uid() + "/"))
        .as("objects in the files bucket, seed %d", seed)
        .containsExactlyInAnyOrderElementsOf(named);
  }

  private static void assertOneNotificationEach(
      List<Recipient> recipients, String requestId, long seed) throws Exception {
    await()
        .atMost(Duration.ofSeconds(240))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              List<String> unnotified = new ArrayList<>();
              List<String> unpushed = new ArrayList<>();
              for (Recipient r : recipients) {
                if (notificationsOf(r).isEmpty()) {
                  unnotified.add(r.user().uid());
                }
                if (fcm.acceptedFor(r.token()) == 0) {
                  unpushed.add(r.token());
                }
              }
              assertThat(unnotified).as("without a notification, seed %d", seed).isEmpty();
              assertThat(unpushed).as("without a push, seed %d", seed).isEmpty();
            });
    for (Recipient r : recipients) {
      List<QueryDocumentSnapshot> notes = notificationsOf(r);
      assertThat(notes).as("%s, seed %d", r.user().uid(), seed).hasSize(1);
      assertThat(notes.get(0).getString("type")).isEqualTo("promo.chaos");
    }
  }

  private static List<QueryDocumentSnapshot> notificationsOf(Recipient r) throws Exception {
    return firestore
        .collection("users")
        .document(r.user().uid())
        .collection("notifications")
        .get()
        .get()
        .getDocuments();
  }

  private static void assertNoDeadLetters(
      List<AuthEmulatorClient.User> owners, List<String> uploadIds, String requestId, long seed)
      throws Exception {
    List<String> ours = new ArrayList<>(uploadIds);
    ours.add(requestId);
    owners.forEach(o -> ours.add(o.uid()));
    for (QueryDocumentSnapshot letter :
        firestore.collection("deadLetters").get().get().getDocuments()) {
      String text = String.valueOf(letter.getData());
      for (String id : ours) {
        assertThat(text).as("dead letter %s, seed %d", letter.getId(), seed).doesNotContain(id);
      }
    }
  }
}
