package dev.cirrus.local.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.cloud.Timestamp;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.storage.Notification;
import com.google.cloud.storage.NotificationInfo;
import com.google.cloud.storage.Storage;
import dev.cirrus.local.emulators.AuthEmulatorClient;
import dev.cirrus.local.emulators.PubSubAdmin;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The sweeper through the whole stack: a {@code maintenance-tick} message, as Cloud Scheduler (or
 * the stack's own ticker) publishes it, expires an abandoned upload and re-drives a stuck one to
 * the end. Time is moved by writing the uploads' timestamps back, as hours passing would.
 */
@ExtendWith(RunningStack.class)
class SweeperFlowTest {
  private static final String UPLOADS_BUCKET = RunningStack.PROJECT + "-uploads";
  private static LocalStack stack;
  private static StackApi api;
  private static PubSubAdmin pubsub;
  private static Firestore firestore;
  private static Storage storage;

  @BeforeAll
  static void connect(RunningStack.Handle handle) {
    stack = handle.stack();
    api = new StackApi(stack);
    pubsub = new PubSubAdmin(stack.endpoints().pubsubHost(), RunningStack.PROJECT);
    firestore = StackClients.firestore(stack);
    storage = StackClients.storage(stack);
  }

  @AfterAll
  static void disconnect() throws Exception {
    firestore.close();
    storage.close();
  }

  private static void tick() {
    pubsub.publish("maintenance-tick", Map.of(), "{}".getBytes(StandardCharsets.UTF_8));
  }

  private static void setUpload(String id, Map<String, Object> fields) throws Exception {
    firestore.collection("uploads").document(id).update(fields).get();
  }

  private static Timestamp ago(Duration d) {
    Instant t = Instant.now().minus(d);
    return Timestamp.ofTimeSecondsAndNanos(t.getEpochSecond(), 0);
  }

  @Test
  void anAbandonedSessionIsExpiredAndItsRoomGivenBack() throws Exception {
    AuthEmulatorClient.User user = api.newUser();
    byte[] bytes = "never sent".getBytes(StandardCharsets.UTF_8);
    String id =
        api.createUpload(user.idToken(), "a.txt", "text/plain", bytes).path("uploadId").asText();
    // A day and two hours on: past the session's deadline and the late-finalize hour.
    setUpload(id, Map.of("expiresAt", ago(Duration.ofHours(2))));

    tick();

    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                "expired"
                    .equals(
                        firestore
                            .collection("uploads")
                            .document(id)
                            .get()
                            .get()
                            .getString("status")));
    JsonNode me = StackApi.json(api.call("GET", "/v1/me", user.idToken(), null));
    assertThat(me.path("quota").path("usedBytes").asLong()).isZero();
    assertThat(
            StackApi.json(api.call("GET", "/v1/uploads/" + id, user.idToken(), null))
                .path("status")
                .asText())
        .isEqualTo("expired");
  }

  @Test
  void anUploadStuckSinceItsFinalizeMessageWasLostIsRedrivenToTheEnd() throws Exception {
    AuthEmulatorClient.User user = api.newUser();
    byte[] bytes = "stuck bytes".getBytes(StandardCharsets.UTF_8);
    JsonNode session = api.createUpload(user.idToken(), "stuck.txt", "text/plain", bytes);
    String id = session.path("uploadId").asText();

    // The bucket's notification is switched off while the bytes arrive: their finalize message
    // is lost, as after :complete's publish failed.
    List<Notification> configs = storage.listNotifications(UPLOADS_BUCKET);
    assertThat(configs).hasSize(1);
    storage.deleteNotification(UPLOADS_BUCKET, configs.get(0).getNotificationId());
    try {
      assertThat(
              StackApi.put(session.path("uploadUrl").asText(), bytes, null, Map.of()).statusCode())
          .isEqualTo(200);
    } finally {
      NotificationInfo original = configs.get(0);
      storage.createNotification(
          UPLOADS_BUCKET,
          NotificationInfo.newBuilder(original.getTopic())
              .setPayloadFormat(original.getPayloadFormat())
              .setEventTypes(original.getEventTypes().toArray(new NotificationInfo.EventType[0]))
              .build());
    }
    setUpload(id, Map.of("status", "uploaded", "updatedAt", ago(Duration.ofMinutes(20))));

    tick();

    JsonNode done = api.awaitStatus(user.idToken(), id, "ready");
    assertThat(done.path("fileId").asText()).isEqualTo(id);
    assertThat(firestore.collection("uploads").document(id).get().get().getLong("redrives"))
        .isEqualTo(1L);
  }
}
