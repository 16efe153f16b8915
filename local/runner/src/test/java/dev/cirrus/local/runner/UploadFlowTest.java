package dev.cirrus.local.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.Storage;
import dev.cirrus.local.emulators.AuthEmulatorClient;
import dev.cirrus.local.emulators.PubSubAdmin;
import dev.cirrus.shared.events.StorageObjectEvent;
import dev.cirrus.shared.json.JsonCodec;
import dev.cirrus.shared.json.JsonMessageCodec;
import dev.cirrus.shared.processing.TestImages;
import dev.cirrus.shared.storage.ObjectRef;
import dev.cirrus.shared.storage.StoredObject;
import dev.cirrus.shared.testing.TestDigests;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The upload flow as a mobile app lives it, through the gateway of the whole local stack: sign up,
 * open a session, send the bytes in chunks over a flaky network, let the storage emulator's
 * finalize notification drive processing through Pub/Sub, then use the files API.
 */
@ExtendWith(RunningStack.class)
class UploadFlowTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final int CHUNK = 256 * 1024;
  private static final String WATCH = "file-events-watch";

  private static LocalStack stack;
  private static AuthEmulatorClient auth;
  private static StackApi api;
  private static PubSubAdmin pubsub;
  private static Storage storage;
  private static final List<PubSubAdmin.Received> fileEvents = new ArrayList<>();

  @BeforeAll
  static void connect(RunningStack.Handle handle) {
    stack = handle.stack();
    api = new StackApi(stack);
    auth = api.auth();
    pubsub = new PubSubAdmin(stack.endpoints().pubsubHost(), RunningStack.PROJECT);
    pubsub.createPullSubscription(WATCH, "file-events");
    storage = StackClients.storage(stack);
  }

  @AfterAll
  static void disconnect() throws Exception {
    storage.close();
  }

  private static AuthEmulatorClient.User newUser() {
    return api.newUser();
  }

  private static HttpResponse<String> call(
      String method, String path, String token, String body, Map<String, String> headers)
      throws Exception {
    return api.call(method, path, token, body, headers);
  }

  private static HttpResponse<String> call(String method, String path, String token, String body)
      throws Exception {
    return api.call(method, path, token, body);
  }

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    return StackApi.json(response);
  }

  private static JsonNode createUpload(String token, String filename, String type, byte[] bytes)
      throws Exception {
    return api.createUpload(token, filename, type, bytes);
  }

  private static HttpResponse<String> put(String url, byte[] bytes, int from, int to, String range)
      throws Exception {
    return StackApi.put(url, Arrays.copyOfRange(bytes, from, to), range, Map.of());
  }

  private static HttpResponse<String> put(
      String url, byte[] body, String range, Map<String, String> headers) throws Exception {
    return StackApi.put(url, body, range, headers);
  }

  private static JsonNode awaitStatus(String token, String uploadId, String... statuses) {
    return api.awaitStatus(token, uploadId, statuses);
  }

  private static synchronized List<PubSubAdmin.Received> fileEventsOf(String uploadId) {
    fileEvents.addAll(pubsub.pull(WATCH, 100));
    return fileEvents.stream()
        .filter(m -> new String(m.data(), StandardCharsets.UTF_8).contains(uploadId))
        .toList();
  }

  private static String md5(byte[] bytes) {
    return TestDigests.md5(bytes);
  }

  private static String crc32c(byte[] bytes) {
    return TestDigests.crc32c(bytes);
  }

  private static byte[] download(String token, String fileId, String variant, String[] disposition)
      throws Exception {
    HttpResponse<String> signed =
        call("GET", "/v1/files/" + fileId + "/download?variant=" + variant, token, null);
    assertThat(signed.statusCode()).as(signed.body()).isEqualTo(200);
    assertThat(json(signed).path("expiresAt").asText()).isNotBlank();
    HttpResponse<byte[]> bytes =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(json(signed).path("url").asText())).build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(bytes.statusCode()).isEqualTo(200);
    if (disposition != null) {
      disposition[0] = bytes.headers().firstValue("Content-Disposition").orElse("");
    }
    return bytes.body();
  }

  @Test
  void photoSentInThreeChunksWithAResumeBecomesAFileWhoseBytesDownloadIntact() throws Exception {
    AuthEmulatorClient.User user = newUser();
    byte[] photo =
        TestImages.noisyJpeg(
            1600, 1200, new TestImages.Exif(6, "Pixelmaker", "P9", "2024:05:06 07:08:09", true), 7);
    assertThat(photo.length).as("needs three chunks").isGreaterThan(3 * CHUNK);
    JsonNode session = createUpload(user.idToken(), "Été à Paris.jpg", "image/jpeg", photo);
    String url = session.path("uploadUrl").asText();
    String total = "/" + photo.length;

    // Chunk 1 lands whole.
    HttpResponse<String> first = put(url, photo, 0, CHUNK, "bytes 0-" + (CHUNK - 1) + total);
    assertThat(first.statusCode()).isEqualTo(308);
    // Chunk 2 is dropped half-way: the network fails after 256 KiB of its 512.
    String drop = retryTest("storage.objects.insert", "return-503-after-256K");
    try {
      HttpResponse<String> second =
          put(
              url,
              Arrays.copyOfRange(photo, CHUNK, 3 * CHUNK),
              "bytes " + CHUNK + "-" + (3 * CHUNK - 1) + total,
              Map.of("x-retry-test-id", drop));
      assertThat(second.statusCode()).isEqualTo(503);
    } catch (java.io.IOException dropped) {
      // the connection died under the answer: as good a drop as a 503
    }
    // The app asks how far it got, and resumes from there with the rest.
    HttpResponse<String> status = put(url, new byte[0], "bytes */" + photo.length, Map.of());
    assertThat(status.statusCode()).isEqualTo(308);
    int next =
        Integer.parseInt(status.headers().firstValue("Range").orElseThrow().split("-")[1]) + 1;
    assertThat(next).isGreaterThan(CHUNK).isLessThan(3 * CHUNK);
    HttpResponse<String> last =
        put(url, photo, next, photo.length, "bytes " + next + "-" + (photo.length - 1) + total);
    assertThat(last.statusCode()).as(last.body()).isEqualTo(200);

    String uploadId = session.path("uploadId").asText();
    JsonNode ready = awaitStatus(user.idToken(), uploadId, "ready", "rejected");
    assertThat(ready.path("status").asText()).as(ready.toString()).isEqualTo("ready");
    String fileId = ready.path("fileId").asText();

    JsonNode file = json(call("GET", "/v1/files/" + fileId, user.idToken(), null));
    assertThat(file.path("filename").asText()).isEqualTo("Été à Paris.jpg");
    assertThat(file.path("contentType").asText()).isEqualTo("image/jpeg");
    assertThat(file.path("size").asLong()).isEqualTo(photo.length);
    assertThat(file.path("md5").asText()).isEqualTo(md5(photo));
    assertThat(file.path("crc32c").asText()).isEqualTo(crc32c(photo));
    assertThat(file.path("sha256").asText())
        .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(photo)));
    assertThat(file.path("image").path("width").asInt()).isEqualTo(1600);
    assertThat(file.path("image").path("height").asInt()).isEqualTo(1200);
    assertThat(file.path("image").path("orientation").asInt()).isEqualTo(6);
    assertThat(file.path("image").path("takenAt").asText()).isEqualTo("2024-05-06T07:08:09Z");
    assertThat(file.path("image").path("cameraModel").asText()).isEqualTo("P9");
    assertThat(file.toString()).doesNotContainIgnoringCase("gps").doesNotContain("latitude");
    assertThat(file.path("thumbnails").get(0).path("width").asInt()).isEqualTo(192);
    assertThat(file.path("thumbnails").get(0).path("height").asInt()).isEqualTo(256);

    String[] disposition = new String[1];
    assertThat(download(user.idToken(), fileId, "original", disposition)).isEqualTo(photo);
    assertThat(disposition[0]).contains("attachment").contains("UTF-8''%C3%89t%C3%A9");
    byte[] thumb = download(user.idToken(), fileId, "thumb256", null);
    assertThat(thumb)
        .isEqualTo(
            storage.readAllBytes(
                BlobId.of(
                    RunningStack.PROJECT + "-files",
                    "files/" + user.uid() + "/" + fileId + "/thumb256.jpg")));
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(thumb));
    assertThat(image.getWidth()).isEqualTo(192);
    assertThat(image.getHeight()).isEqualTo(256);
    // Orientation 6 turns the red left half to the top.
    assertThat((image.getRGB(96, 10) >> 16) & 0xFF).isGreaterThan(150);
    assertThat(image.getRGB(96, 245) & 0xFF).isGreaterThan(150);

    JsonNode me = json(call("GET", "/v1/me", user.idToken(), null));
    assertThat(me.path("quota").path("usedBytes").asLong()).isEqualTo(photo.length);
    assertThat(me.path("quota").path("fileCount").asLong()).isEqualTo(1);
    await().atMost(Duration.ofSeconds(10)).until(() -> !fileEventsOf(uploadId).isEmpty());
    assertThat(fileEventsOf(uploadId))
        .singleElement()
        .satisfies(m -> assertThat(m.attributes()).containsEntry("type", "file.ready"));
  }

  @Test
  void everyFinalizeMessageDeliveredThreeTimesConcurrentlyLeavesOneEffect() throws Exception {
    AuthEmulatorClient.User user = newUser();
    byte[] text = ("notes " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
    JsonNode session = createUpload(user.idToken(), "notes.txt", "text/plain", text);
    String uploadId = session.path("uploadId").asText();
    ObjectRef object =
        new ObjectRef(RunningStack.PROJECT + "-uploads", "uploads/" + user.uid() + "/" + uploadId);

    assertThat(put(session.path("uploadUrl").asText(), text, null, Map.of()).statusCode())
        .isEqualTo(200);
    var blob = storage.get(BlobId.of(object.bucket(), object.name()));
    StoredObject stored =
        new StoredObject(
            object,
            blob.getGeneration(),
            blob.getSize(),
            blob.getContentType(),
            Optional.of(blob.getMd5()),
            Optional.of(blob.getCrc32c()),
            Map.of());
    JsonMessageCodec messages = new JsonMessageCodec(new JsonCodec());
    List<CompletableFuture<Void>> copies = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      copies.add(
          CompletableFuture.runAsync(
              () ->
                  pubsub.publish(
                      "upload-finalized",
                      StorageObjectEvent.attributes(stored),
                      messages.storageObject(stored))));
    }
    copies.forEach(CompletableFuture::join);

    assertThat(awaitStatus(user.idToken(), uploadId, "ready", "rejected").path("status").asText())
        .isEqualTo("ready");
    // Give the other three deliveries time to run to their end before counting.
    await()
        .pollDelay(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(10))
        .until(() -> !fileEventsOf(uploadId).isEmpty());
    assertThat(fileEventsOf(uploadId)).hasSize(1);
    JsonNode me = json(call("GET", "/v1/me", user.idToken(), null));
    assertThat(me.path("quota").path("usedBytes").asLong()).isEqualTo(text.length);
    assertThat(me.path("quota").path("fileCount").asLong()).isEqualTo(1);
    assertThat(json(call("GET", "/v1/files", user.idToken(), null)).path("files")).hasSize(1);
  }

  @Test
  void aCreateRetriedWithItsIdempotencyKeyAnswersTheSameSessionThroughTheGateway()
      throws Exception {
    AuthEmulatorClient.User user = newUser();
    String body = "{\"filename\":\"once.txt\",\"contentType\":\"text/plain\",\"size\":4}";
    Map<String, String> key = Map.of("Idempotency-Key", UUID.randomUUID().toString());
    HttpResponse<String> first = call("POST", "/v1/uploads", user.idToken(), body, key);
    HttpResponse<String> retry = call("POST", "/v1/uploads", user.idToken(), body, key);
    assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
    assertThat(retry.statusCode()).as(retry.body()).isEqualTo(201);
    assertThat(json(retry).path("uploadId").asText())
        .isEqualTo(json(first).path("uploadId").asText());
    assertThat(json(retry).path("uploadUrl").asText())
        .isEqualTo(json(first).path("uploadUrl").asText());

    HttpResponse<String> reused =
        call(
            "POST",
            "/v1/uploads",
            user.idToken(),
            "{\"filename\":\"other.txt\",\"contentType\":\"text/plain\",\"size\":4}",
            key);
    assertThat(reused.statusCode()).isEqualTo(409);
    assertThat(json(reused).path("code").asText()).isEqualTo("idempotency-key-reused");
    HttpResponse<String> bad =
        call("POST", "/v1/uploads", user.idToken(), body, Map.of("Idempotency-Key", "a b"));
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.headers().firstValue("Content-Type").orElse(""))
        .contains("application/problem+json");
  }

  @Test
  void executableNamedLikeAPhotoIsRejectedWithItsReasonAndCostsNothing() throws Exception {
    AuthEmulatorClient.User user = newUser();
    byte[] exe = new byte[2048];
    exe[0] = 'M';
    exe[1] = 'Z';
    JsonNode session = createUpload(user.idToken(), "cat.jpg", "image/jpeg", exe);
    assertThat(put(session.path("uploadUrl").asText(), exe, null, Map.of()).statusCode())
        .isEqualTo(200);

    JsonNode upload =
        awaitStatus(user.idToken(), session.path("uploadId").asText(), "ready", "rejected");

    assertThat(upload.path("status").asText()).isEqualTo("rejected");
    assertThat(upload.path("reason").asText()).isEqualTo("type-not-allowed");
    assertThat(upload.has("fileId")).isFalse();
    JsonNode me = json(call("GET", "/v1/me", user.idToken(), null));
    assertThat(me.path("quota").path("usedBytes").asLong()).isZero();
    assertThat(json(call("GET", "/v1/files", user.idToken(), null)).path("files")).isEmpty();
  }

  private static String readyTextFile(AuthEmulatorClient.User user, String name) throws Exception {
    return api.readyTextFile(user, name);
  }

  @Test
  void filesHonourEtagsPreconditionsAndOwnership() throws Exception {
    AuthEmulatorClient.User owner = newUser();
    AuthEmulatorClient.User stranger = newUser();
    String fileId = readyTextFile(owner, "plan.txt");
    String path = "/v1/files/" + fileId;

    HttpResponse<String> got = call("GET", path, owner.idToken(), null);
    String etag = got.headers().firstValue("ETag").orElseThrow();
    assertThat(call("GET", path, owner.idToken(), null, Map.of("If-None-Match", etag)).statusCode())
        .isEqualTo(304);

    HttpResponse<String> renamed =
        call(
            "PATCH",
            path,
            owner.idToken(),
            "{\"filename\":\"plan v2.txt\",\"tags\":[\"work\"]}",
            Map.of("If-Match", etag));
    assertThat(renamed.statusCode()).as(renamed.body()).isEqualTo(200);
    assertThat(json(renamed).path("filename").asText()).isEqualTo("plan v2.txt");
    assertThat(renamed.headers().firstValue("ETag")).isPresent().get().isNotEqualTo(etag);
    HttpResponse<String> stale =
        call("PATCH", path, owner.idToken(), "{\"tags\":[]}", Map.of("If-Match", etag));
    assertThat(stale.statusCode()).isEqualTo(412);
    assertThat(stale.headers().firstValue("Content-Type")).contains("application/problem+json");

    for (String method : new String[] {"GET", "DELETE"}) {
      assertThat(call(method, path, stranger.idToken(), null).statusCode()).isEqualTo(404);
    }
    assertThat(call("GET", path + "/download", stranger.idToken(), null).statusCode())
        .isEqualTo(404);
    AuthEmulatorClient.User admin = newUser();
    auth.setRoles(admin.uid(), List.of("admin"));
    String adminToken = auth.signIn(admin.email(), "secret123").idToken();
    assertThat(call("GET", path, adminToken, null).statusCode()).isEqualTo(200);
    assertThat(call("GET", path + "/download", adminToken, null).statusCode()).isEqualTo(200);

    assertThat(call("DELETE", path, owner.idToken(), null).statusCode()).isEqualTo(204);
    assertThat(call("DELETE", path, owner.idToken(), null).statusCode()).isEqualTo(204);
    assertThat(call("GET", path, owner.idToken(), null).statusCode()).isEqualTo(404);
    JsonNode me = json(call("GET", "/v1/me", owner.idToken(), null));
    assertThat(me.path("quota").path("fileCount").asLong()).isZero();
    assertThat(me.path("quota").path("usedBytes").asLong()).isZero();
  }

  @Test
  void sessionsAnswerRepeatsConsistently() throws Exception {
    AuthEmulatorClient.User user = newUser();
    byte[] text = "abc".getBytes(StandardCharsets.UTF_8);
    JsonNode aborted = createUpload(user.idToken(), "a.txt", "text/plain", text);
    String abortedPath = "/v1/uploads/" + aborted.path("uploadId").asText();
    assertThat(call("POST", abortedPath + ":complete", user.idToken(), null).statusCode())
        .as("no bytes yet")
        .isEqualTo(409);
    assertThat(call("DELETE", abortedPath, user.idToken(), null).statusCode()).isEqualTo(204);
    assertThat(call("DELETE", abortedPath, user.idToken(), null).statusCode()).isEqualTo(204);
    HttpResponse<String> afterAbort = call("POST", abortedPath + ":complete", user.idToken(), null);
    assertThat(afterAbort.statusCode()).isEqualTo(409);
    assertThat(json(afterAbort).path("code").asText()).isEqualTo("upload-aborted");
    assertThat(put(aborted.path("uploadUrl").asText(), text, null, Map.of()).statusCode())
        .as("a cancelled session takes no bytes")
        .isGreaterThanOrEqualTo(400);

    JsonNode done = createUpload(user.idToken(), "b.txt", "text/plain", text);
    String donePath = "/v1/uploads/" + done.path("uploadId").asText();
    put(done.path("uploadUrl").asText(), text, null, Map.of());
    for (int i = 0; i < 2; i++) {
      HttpResponse<String> completed = call("POST", donePath + ":complete", user.idToken(), null);
      assertThat(completed.statusCode()).isEqualTo(202);
    }
    awaitStatus(user.idToken(), done.path("uploadId").asText(), "ready");
    assertThat(call("DELETE", donePath, user.idToken(), null).statusCode()).isEqualTo(409);
    assertThat(
            json(call("GET", "/v1/me", user.idToken(), null))
                .path("quota")
                .path("fileCount")
                .asLong())
        .isEqualTo(1);
  }

  @Test
  void badInputIsAProblemNamingTheField() throws Exception {
    String token = newUser().idToken();
    record Case(String body, int status, String field) {}
    List<Case> cases =
        List.of(
            new Case(
                "{\"filename\":\"a/b.jpg\",\"contentType\":\"image/jpeg\",\"size\":1}",
                400,
                "filename"),
            new Case(
                "{\"filename\":\"\",\"contentType\":\"image/jpeg\",\"size\":1}", 400, "filename"),
            new Case(
                "{\"filename\":\"a.jpg\",\"contentType\":\"image/jpeg\",\"size\":0}", 400, "size"),
            new Case("{\"filename\":\"a.jpg\",\"contentType\":\"image/jpeg\"}", 400, "size"),
            new Case(
                "{\"filename\":\"a.jpg\",\"contentType\":\"image/jpeg\",\"size\":\"big\"}",
                400,
                "size"),
            new Case(
                "{\"filename\":\"a.jpg\",\"contentType\":\"image/jpeg\",\"size\":1,\"md5\":\"x\"}",
                400,
                "md5"),
            new Case(
                "{\"filename\":\"a.jpg\",\"contentType\":\"image/jpeg\",\"size\":1,\"owner\":\"x\"}",
                400,
                "owner"),
            new Case(
                "{\"filename\":\"a.exe\",\"contentType\":\"application/x-msdownload\",\"size\":1}",
                415,
                "contentType"),
            new Case(
                "{\"filename\":\"a.mp4\",\"contentType\":\"video/mp4\",\"size\":999999999999}",
                413,
                "size"),
            new Case("{not json", 400, null));
    for (Case c : cases) {
      HttpResponse<String> response = call("POST", "/v1/uploads", token, c.body());
      assertThat(response.statusCode()).as(c.body()).isEqualTo(c.status());
      assertThat(response.headers().firstValue("Content-Type"))
          .contains("application/problem+json");
      if (c.field() != null) {
        assertThat(json(response).path("detail").asText()).as(c.body()).contains(c.field());
      }
    }
    for (String path :
        new String[] {
          "/v1/files?pageSize=0",
          "/v1/files?pageSize=x",
          "/v1/files?pageToken=garbage!",
          "/v1/files?status=deleted"
        }) {
      assertThat(call("GET", path, token, null).statusCode()).as(path).isEqualTo(400);
    }
    assertThat(call("GET", "/v1/uploads/nope", token, null).statusCode()).isEqualTo(404);
    assertThat(call("GET", "/v1/files/nope", token, null).statusCode()).isEqualTo(404);
    assertThat(call("GET", "/v1/uploads/x", null, null).statusCode()).isEqualTo(401);
    assertThat(call("POST", "/v1/files", token, "{}").statusCode()).isEqualTo(405);
  }

  private static String retryTest(String method, String instruction) throws Exception {
    HttpResponse<String> created =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(stack.endpoints().storageHost() + "/retry_test"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"instructions\":{\""
                            + method
                            + "\":[\""
                            + instruction
                            + "\"]},\"transport\":\"HTTP\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(created.body()).path("id").asText();
  }
}
