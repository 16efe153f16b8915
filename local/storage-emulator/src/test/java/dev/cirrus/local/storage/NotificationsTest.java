package dev.cirrus.local.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Notification;
import com.google.cloud.storage.NotificationInfo;
import com.google.cloud.storage.Storage;
import dev.cirrus.local.emulators.EmulatorsExtension;
import dev.cirrus.local.emulators.PubSubAdmin;
import dev.cirrus.local.emulators.TestEmulators;
import dev.cirrus.local.storage.signing.TrustedKeys;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Bucket notifications, configured through the Java client, delivered to the real Pub/Sub emulator.
 */
@ExtendWith(EmulatorsExtension.class)
class NotificationsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private StorageEmulator emulator;
  private Storage storage;
  private String pubsub;
  private String topic;
  private String subscription;
  private final String bucket = "notified";

  @BeforeEach
  void start(TestEmulators emulators) throws Exception {
    pubsub = emulators.pubsubHost();
    topic = "finalized-" + UUID.randomUUID().toString().substring(0, 8);
    subscription = topic + "-watch";
    PubSubAdmin admin = new PubSubAdmin(pubsub, emulators.projectId());
    admin.createTopic(topic);
    admin.createPullSubscription(subscription, topic);
    emulator = StorageEmulator.inMemory(0, new TrustedKeys(), pubsub);
    storage = TestData.javaClient(emulator);
    storage.create(BucketInfo.of(bucket));
  }

  @AfterEach
  void stop() throws Exception {
    storage.close();
    emulator.close();
  }

  private List<JsonNode> pull() throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://"
                            + pubsub
                            + "/v1/projects/demo-cirrus-test/subscriptions/"
                            + subscription
                            + ":pull"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"maxMessages\":10,\"returnImmediately\":true}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    List<JsonNode> messages = new ArrayList<>();
    List<String> acks = new ArrayList<>();
    JSON.readTree(response.body())
        .path("receivedMessages")
        .forEach(
            r -> {
              messages.add(r.path("message"));
              acks.add(r.path("ackId").asText());
            });
    if (!acks.isEmpty()) {
      http.send(
          HttpRequest.newBuilder(
                  URI.create(
                      "http://"
                          + pubsub
                          + "/v1/projects/demo-cirrus-test/subscriptions/"
                          + subscription
                          + ":acknowledge"))
              .header("Content-Type", "application/json")
              .POST(
                  HttpRequest.BodyPublishers.ofString(
                      JSON.writeValueAsString(java.util.Map.of("ackIds", acks))))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    }
    return messages;
  }

  private List<JsonNode> awaitMessages(int count) {
    List<JsonNode> received = new ArrayList<>();
    await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () -> {
              received.addAll(pull());
              return received.size() >= count;
            });
    return received;
  }

  @Test
  void finalizePublishesTheObjectResourceWithTheRealAttributes() throws Exception {
    Notification config =
        storage.createNotification(
            bucket,
            NotificationInfo.newBuilder("projects/demo-cirrus-test/topics/" + topic)
                .setPayloadFormat(NotificationInfo.PayloadFormat.JSON_API_V1)
                .setEventTypes(NotificationInfo.EventType.OBJECT_FINALIZE)
                .build());
    assertThat(storage.listNotifications(bucket)).hasSize(1);
    Blob blob =
        storage.create(BlobInfo.newBuilder(bucket, "uploads/u1/x").build(), new byte[] {1, 2});

    JsonNode message = awaitMessages(1).get(0);
    JsonNode attributes = message.path("attributes");
    assertThat(attributes.path("eventType").asText()).isEqualTo("OBJECT_FINALIZE");
    assertThat(attributes.path("bucketId").asText()).isEqualTo(bucket);
    assertThat(attributes.path("objectId").asText()).isEqualTo("uploads/u1/x");
    assertThat(attributes.path("objectGeneration").asText())
        .isEqualTo(blob.getGeneration().toString());
    assertThat(attributes.path("payloadFormat").asText()).isEqualTo("JSON_API_V1");
    assertThat(attributes.path("notificationConfig").asText())
        .isEqualTo("projects/_/buckets/notified/notificationConfigs/" + config.getNotificationId());
    JsonNode payload = JSON.readTree(Base64.getDecoder().decode(message.path("data").asText()));
    assertThat(payload.path("name").asText()).isEqualTo("uploads/u1/x");
    assertThat(payload.path("size").asText()).isEqualTo("2");
    assertThat(payload.path("md5Hash").asText()).isEqualTo(blob.getMd5());

    storage.delete(BlobId.of(bucket, "uploads/u1/x"));
    Thread.sleep(500);
    assertThat(pull()).as("only OBJECT_FINALIZE was asked for").isEmpty();
  }

  @Test
  void everyEventTypeWhenNoneIsNamedAndNothingAfterTheConfigIsDeleted() throws Exception {
    Notification config =
        storage.createNotification(
            bucket,
            NotificationInfo.newBuilder("projects/demo-cirrus-test/topics/" + topic).build());
    storage.create(BlobInfo.newBuilder(bucket, "a").build(), new byte[] {1});
    storage.update(
        BlobInfo.newBuilder(bucket, "a").setMetadata(java.util.Map.of("k", "v")).build());
    storage.delete(BlobId.of(bucket, "a"));
    List<String> types =
        awaitMessages(3).stream()
            .map(m -> m.path("attributes").path("eventType").asText())
            .toList();
    assertThat(types).containsExactly("OBJECT_FINALIZE", "OBJECT_METADATA_UPDATE", "OBJECT_DELETE");

    assertThat(storage.deleteNotification(bucket, config.getNotificationId())).isTrue();
    assertThat(storage.listNotifications(bucket)).isEmpty();
    storage.create(BlobInfo.newBuilder(bucket, "b").build(), new byte[] {1});
    Thread.sleep(500);
    assertThat(pull()).isEmpty();
  }
}
