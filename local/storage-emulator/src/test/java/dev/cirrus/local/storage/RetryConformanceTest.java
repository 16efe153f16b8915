package dev.cirrus.local.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.api.gax.rpc.FixedHeaderProvider;
import com.google.cloud.NoCredentials;
import com.google.cloud.WriteChannel;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.NotificationInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Google's retry conformance scenarios ({@code retry_tests.json}) run with the Java client against
 * this emulator, for every API method the emulator implements; the methods it does not implement
 * (ACLs, HMAC keys, IAM, bucket patch/update, objects.copy/update which the Java client never
 * calls) are counted, not run.
 */
class RetryConformanceTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final byte[] SMALL = new byte[] {1, 2, 3};

  /** Past 256 KiB, where the download faults strike. */
  private static final byte[] MEDIUM = new byte[300 * 1024];

  /** Past 8 MiB, where the largest upload fault strikes. */
  private static final byte[] LARGE = new byte[9 * 1024 * 1024 + 123];

  private static StorageEmulator emulator;
  private static Storage plain;

  static {
    new Random(3).nextBytes(LARGE);
    new Random(5).nextBytes(MEDIUM);
  }

  /** One client operation; {@code pre} says whether the scenario gives a precondition. */
  private interface Operation {
    void run(Storage storage, Fixture fixture, boolean pre) throws Exception;
  }

  /** What an operation works on, made fresh for each case by the plain client. */
  private record Fixture(String bucket, Blob object, String notificationId) {}

  private static final Map<String, Operation> OPERATIONS =
      Map.ofEntries(
          Map.entry(
              "storage.buckets.get", (s, f, pre) -> assertThat(s.get(f.bucket())).isNotNull()),
          Map.entry("storage.buckets.list", (s, f, pre) -> s.list().iterateAll().forEach(b -> {})),
          Map.entry(
              "storage.buckets.insert",
              (s, f, pre) ->
                  s.create(BucketInfo.of("b-" + UUID.randomUUID().toString().substring(0, 12)))),
          Map.entry(
              "storage.buckets.delete",
              (s, f, pre) -> {
                String empty = "e-" + UUID.randomUUID().toString().substring(0, 12);
                plain.create(BucketInfo.of(empty));
                s.delete(empty);
              }),
          Map.entry(
              "storage.objects.get",
              (s, f, pre) -> assertThat(s.readAllBytes(f.object().getBlobId())).isEqualTo(MEDIUM)),
          Map.entry(
              "storage.objects.list",
              (s, f, pre) -> s.list(f.bucket()).iterateAll().forEach(b -> {})),
          Map.entry(
              "storage.objects.insert",
              (s, f, pre) -> {
                BlobInfo info = BlobInfo.newBuilder(f.bucket(), "new-" + UUID.randomUUID()).build();
                if (pre) {
                  try (WriteChannel writer =
                      s.writer(info, Storage.BlobWriteOption.doesNotExist())) {
                    writer.setChunkSize(2 * 1024 * 1024);
                    writer.write(ByteBuffer.wrap(LARGE));
                  }
                  assertThat(plain.readAllBytes(info.getBlobId())).isEqualTo(LARGE);
                } else {
                  s.create(info, SMALL);
                }
              }),
          Map.entry(
              "storage.objects.delete",
              (s, f, pre) -> {
                if (pre) {
                  s.delete(f.object().getBlobId(), Storage.BlobSourceOption.generationMatch());
                } else {
                  s.delete(BlobId.of(f.bucket(), f.object().getName()));
                }
              }),
          Map.entry(
              "storage.objects.patch",
              (s, f, pre) -> {
                BlobInfo info =
                    f.object().toBuilder()
                        .setMetadata(Map.of("k", UUID.randomUUID().toString()))
                        .build();
                if (pre) {
                  s.update(info, Storage.BlobTargetOption.metagenerationMatch());
                } else {
                  s.update(
                      BlobInfo.newBuilder(f.bucket(), f.object().getName())
                          .setMetadata(Map.of("k", "v"))
                          .build());
                }
              }),
          Map.entry(
              "storage.objects.rewrite",
              (s, f, pre) -> {
                BlobInfo target =
                    BlobInfo.newBuilder(f.bucket(), "copy-" + UUID.randomUUID()).build();
                Storage.CopyRequest.Builder request =
                    Storage.CopyRequest.newBuilder().setSource(f.object().getBlobId());
                if (pre) {
                  request.setTarget(target, Storage.BlobTargetOption.doesNotExist());
                } else {
                  request.setTarget(target);
                }
                s.copy(request.build()).getResult();
              }),
          Map.entry(
              "storage.objects.compose",
              (s, f, pre) -> {
                BlobInfo target =
                    BlobInfo.newBuilder(f.bucket(), "whole-" + UUID.randomUUID()).build();
                Storage.ComposeRequest.Builder request =
                    Storage.ComposeRequest.newBuilder()
                        .addSource(f.object().getName())
                        .setTarget(target);
                if (pre) {
                  request.setTargetOptions(Storage.BlobTargetOption.doesNotExist());
                }
                s.compose(request.build());
              }),
          Map.entry("storage.notifications.list", (s, f, pre) -> s.listNotifications(f.bucket())),
          Map.entry(
              "storage.notifications.get",
              (s, f, pre) ->
                  assertThat(s.getNotification(f.bucket(), f.notificationId())).isNotNull()),
          Map.entry(
              "storage.notifications.delete",
              (s, f, pre) -> s.deleteNotification(f.bucket(), f.notificationId())),
          Map.entry(
              "storage.notifications.insert",
              (s, f, pre) ->
                  s.createNotification(
                      f.bucket(),
                      NotificationInfo.newBuilder("projects/demo-cirrus-test/topics/t").build())));

  @BeforeAll
  static void start() throws Exception {
    emulator = StorageEmulator.inMemory(0);
    plain = TestData.javaClient(emulator);
  }

  @AfterAll
  static void stop() throws Exception {
    plain.close();
    emulator.close();
  }

  private static Fixture fixture() {
    String bucket = "r-" + UUID.randomUUID().toString().substring(0, 12);
    plain.create(BucketInfo.of(bucket));
    Blob object = plain.create(BlobInfo.newBuilder(bucket, "object").build(), MEDIUM);
    String notification =
        plain
            .createNotification(
                bucket, NotificationInfo.newBuilder("projects/demo-cirrus-test/topics/t").build())
            .getNotificationId();
    return new Fixture(bucket, object, notification);
  }

  private static JsonNode scenarios() throws Exception {
    return JSON.readTree(TestData.dir("gcs-retry-conformance").resolve("retry_tests.json").toFile())
        .path("retryTests");
  }

  private static String createRetryTest(String method, JsonNode instructions) throws Exception {
    String body =
        "{\"instructions\":{\"" + method + "\":" + instructions + "},\"transport\":\"HTTP\"}";
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(emulator.url() + "/retry_test"))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(response.body()).path("id").asText();
  }

  private static boolean completed(String id) throws Exception {
    return JSON.readTree(
            HTTP.send(
                    HttpRequest.newBuilder(URI.create(emulator.url() + "/retry_test/" + id))
                        .build(),
                    HttpResponse.BodyHandlers.ofString())
                .body())
        .path("completed")
        .asBoolean();
  }

  private static Storage clientFor(String id) {
    return StorageOptions.newBuilder()
        .setHost(emulator.url())
        .setProjectId("demo-cirrus-test")
        .setCredentials(NoCredentials.getInstance())
        .setHeaderProvider(FixedHeaderProvider.create("x-retry-test-id", id))
        // Same retry decisions as the defaults, shorter waits: the scenarios test which
        // failures are retried, not how long the client sleeps.
        .setRetrySettings(
            StorageOptions.getDefaultRetrySettings().toBuilder()
                .setInitialRetryDelayDuration(java.time.Duration.ofMillis(5))
                .setMaxRetryDelayDuration(java.time.Duration.ofMillis(50))
                .build())
        .build()
        .getService();
  }

  @Test
  void everyScenarioHasMethodsTheEmulatorRuns() throws Exception {
    int runnable = 0;
    for (JsonNode scenario : scenarios()) {
      for (JsonNode method : scenario.path("methods")) {
        if (OPERATIONS.containsKey(method.path("name").asText())) {
          runnable++;
        }
      }
    }
    assertThat(scenarios().size()).isEqualTo(8);
    assertThat(runnable).isGreaterThanOrEqualTo(40);
  }

  @TestFactory
  Stream<DynamicTest> scenariosPassWithTheJavaClient() throws Exception {
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode scenario : scenarios()) {
      boolean pre = scenario.path("preconditionProvided").asBoolean(false);
      boolean expectSuccess = scenario.path("expectSuccess").asBoolean();
      for (JsonNode method : scenario.path("methods")) {
        String name = method.path("name").asText();
        Operation operation = OPERATIONS.get(name);
        if (operation == null) {
          continue;
        }
        for (JsonNode c : scenario.path("cases")) {
          String label =
              scenario.path("id").asText()
                  + " "
                  + scenario.path("description").asText()
                  + " | "
                  + name
                  + " | "
                  + c.path("instructions");
          tests.add(
              DynamicTest.dynamicTest(
                  label,
                  () -> {
                    Fixture fixture = fixture();
                    String id = createRetryTest(name, c.path("instructions"));
                    try (Storage storage = clientFor(id)) {
                      if (expectSuccess) {
                        operation.run(storage, fixture, pre);
                        assertThat(completed(id)).as("every instruction was used").isTrue();
                      } else {
                        assertThatThrownBy(() -> operation.run(storage, fixture, pre))
                            .isInstanceOf(Exception.class);
                      }
                    }
                  }));
        }
      }
    }
    return tests.stream();
  }
}
