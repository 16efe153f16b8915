package dev.cirrus.local.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.api.gax.rpc.FixedHeaderProvider;
import com.google.cloud.NoCredentials;
import com.google.cloud.WriteChannel;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The storage-testbench retry-test API, and Google's Java client recovering from the faults it
 * injects: the client's retry and resume paths, exercised on purpose.
 */
class FaultInjectionTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private StorageEmulator emulator;
  private Storage plain;

  @BeforeEach
  void start() throws Exception {
    emulator = StorageEmulator.inMemory(0);
    plain = TestData.javaClient(emulator);
    plain.create(BucketInfo.of("faults"));
  }

  @AfterEach
  void stop() throws Exception {
    plain.close();
    emulator.close();
  }

  private JsonNode control(String method, String path, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(emulator.url() + path));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    request.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    JsonNode node = JSON.readTree(response.body().isEmpty() ? "{}" : response.body());
    ((com.fasterxml.jackson.databind.node.ObjectNode) node).put("_status", response.statusCode());
    return node;
  }

  private String retryTest(String method, String... instructions) throws Exception {
    String list = JSON.writeValueAsString(instructions);
    return control(
            "POST",
            "/retry_test",
            "{\"instructions\":{\"" + method + "\":" + list + "},\"transport\":\"HTTP\"}")
        .path("id")
        .asText();
  }

  private Storage clientFor(String testId) {
    return StorageOptions.newBuilder()
        .setHost(emulator.url())
        .setProjectId("demo-cirrus-test")
        .setCredentials(NoCredentials.getInstance())
        .setHeaderProvider(FixedHeaderProvider.create("x-retry-test-id", testId))
        .build()
        .getService();
  }

  private boolean completed(String id) throws Exception {
    return control("GET", "/retry_test/" + id, null).path("completed").asBoolean();
  }

  @Test
  void controlApiCreatesListsShowsAndDeletesTests() throws Exception {
    String id = retryTest("storage.objects.get", "return-503");
    assertThat(control("GET", "/retry_tests", null).path("retry_test").toString()).contains(id);
    assertThat(completed(id)).isFalse();
    assertThat(control("DELETE", "/retry_test/" + id, null).path("_status").asInt()).isEqualTo(200);
    assertThat(control("GET", "/retry_test/" + id, null).path("_status").asInt()).isEqualTo(404);
    JsonNode grpc = control("POST", "/retry_test", "{\"instructions\":{},\"transport\":\"GRPC\"}");
    assertThat(grpc.path("_status").asInt()).isEqualTo(501);
    JsonNode unknown =
        control(
            "POST",
            "/retry_test",
            "{\"instructions\":{\"storage.objects.get\":[\"return-teapot\"]}}");
    assertThat(unknown.path("_status").asInt()).isEqualTo(400);
  }

  @Test
  void aTestMayBeCreatedUnderAnIdAClientWasStartedWith() throws Exception {
    plain.create(BlobInfo.newBuilder("faults", "named").build(), new byte[] {4, 5});
    try (Storage storage = clientFor("host-faults")) {
      // No test of that id yet: the header changes nothing.
      assertThat(storage.get(BlobId.of("faults", "named")).getSize()).isEqualTo(2);
      JsonNode created =
          control(
              "POST",
              "/retry_test",
              "{\"id\":\"host-faults\",\"instructions\":{\"storage.objects.get\":[\"return-503\"]}}");
      assertThat(created.path("id").asText()).isEqualTo("host-faults");
      assertThat(storage.get(BlobId.of("faults", "named")).getSize()).isEqualTo(2);
      assertThat(completed("host-faults")).as("the client met the 503 and retried").isTrue();
    }
    JsonNode again = control("POST", "/retry_test", "{\"id\":\"host-faults\",\"instructions\":{}}");
    assertThat(again.path("_status").asInt()).isEqualTo(409);
    JsonNode bad = control("POST", "/retry_test", "{\"id\":\"a/b\",\"instructions\":{}}");
    assertThat(bad.path("_status").asInt()).isEqualTo(400);
  }

  @Test
  void clientRetriesTwo503sAndAResetOnGet() throws Exception {
    plain.create(BlobInfo.newBuilder("faults", "o").build(), new byte[] {1, 2, 3});
    String id =
        retryTest("storage.objects.get", "return-503", "return-reset-connection", "return-503");
    try (Storage storage = clientFor(id)) {
      assertThat(storage.get(BlobId.of("faults", "o")).getSize()).isEqualTo(3);
    }
    assertThat(completed(id)).isTrue();
  }

  @Test
  void brokenDownloadIsResumedToTheRightBytes() throws Exception {
    byte[] bytes = new byte[1024 * 1024];
    new Random(7).nextBytes(bytes);
    plain.create(BlobInfo.newBuilder("faults", "big").build(), bytes);
    String id = retryTest("storage.objects.get", "return-broken-stream-after-256K");
    try (Storage storage = clientFor(id)) {
      assertThat(storage.readAllBytes(BlobId.of("faults", "big"))).isEqualTo(bytes);
    }
    assertThat(completed(id)).isTrue();
  }

  @Test
  void resumableUploadInterruptedAfter256KIsResumedWithThePartialBytesKept() throws Exception {
    byte[] bytes = new byte[1024 * 1024 + 17];
    new Random(11).nextBytes(bytes);
    String id = retryTest("storage.objects.insert", "return-503-after-256K");
    try (Storage storage = clientFor(id)) {
      try (WriteChannel writer = storage.writer(BlobInfo.newBuilder("faults", "up").build())) {
        writer.setChunkSize(512 * 1024);
        writer.write(ByteBuffer.wrap(bytes));
      }
    }
    assertThat(completed(id)).isTrue();
    assertThat(plain.readAllBytes(BlobId.of("faults", "up"))).isEqualTo(bytes);
  }

  @Test
  void uploadCutShortSaysTheConnectionCloses() throws Exception {
    String id = retryTest("storage.objects.insert", "return-503-after-256K");
    byte[] bytes = new byte[512 * 1024];
    new Random(9).nextBytes(bytes);

    try {
      HttpResponse<String> cut =
          http.send(
              HttpRequest.newBuilder(
                      URI.create(
                          emulator.url()
                              + "/upload/storage/v1/b/faults/o?uploadType=media&name=cut"))
                  .header("x-retry-test-id", id)
                  .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(cut.statusCode()).isEqualTo(503);
      // The rest of the body was never read, so the server drops the connection after
      // answering: a client told so opens a new one instead of reusing a dead one.
      assertThat(cut.headers().firstValue("Connection"))
          .hasValueSatisfying(v -> assertThat(v).isEqualToIgnoringCase("close"));
    } catch (java.io.IOException reset) {
      // Closing a socket with unread input resets it, and the reset can overtake the answer:
      // the client then sees the connection die, which is no reused connection either.
    }
    HttpResponse<String> next =
        http.send(
            HttpRequest.newBuilder(URI.create(emulator.url() + "/storage/v1/b/faults/o")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(next.statusCode()).isEqualTo(200);
  }
}
