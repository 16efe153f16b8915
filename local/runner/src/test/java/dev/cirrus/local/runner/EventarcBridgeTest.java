package dev.cirrus.local.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.FirestoreOptions;
import com.google.cloud.pubsub.v1.Publisher;
import com.google.protobuf.ByteString;
import com.google.pubsub.v1.PubsubMessage;
import com.google.pubsub.v1.TopicName;
import dev.cirrus.local.emulators.EmulatorProcess;
import dev.cirrus.local.emulators.EmulatorsExtension;
import dev.cirrus.local.emulators.FunctionProcess;
import dev.cirrus.local.emulators.PubSubAdmin;
import dev.cirrus.local.emulators.TestEmulators;
import dev.cirrus.local.runner.fixtures.RecordingEventFunction;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Pub/Sub emulator → subscription → bridge → a real invoker running a CloudEvent function, as
 * Eventarc delivers in production: the same envelope, redelivery with backoff, dead letters after
 * five attempts, and many messages in delivery at once.
 */
@ExtendWith(EmulatorsExtension.class)
class EventarcBridgeTest {
  private static final String TOPIC = "bridge-test-topic";

  /**
   * Pub/Sub's shortest ack deadline, not the stack's 570 s: a message whose ack the bridge dropped
   * comes back within it, so "it did not come back" is checked over more than one deadline.
   */
  private static final Duration ACK_DEADLINE = Duration.ofSeconds(10);

  private static final Duration PAST_THE_DEADLINE = ACK_DEADLINE.plusSeconds(3);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static EmulatorProcess function;
  private static EventarcBridge bridge;
  private static Publisher publisher;
  private static ManagedChannel channel;
  private static Firestore firestore;
  private static String pubsubHost;

  @BeforeAll
  static void start(TestEmulators emulators) throws Exception {
    emulators.prestart(true, true, false);
    pubsubHost = emulators.pubsubHost();
    function =
        FunctionProcess.start(
            RecordingEventFunction.class.getName(),
            "cloudevent",
            System.getProperty("java.class.path"),
            Map.of(
                "GOOGLE_CLOUD_PROJECT", emulators.projectId(),
                "FIRESTORE_EMULATOR_HOST", emulators.firestoreHost()),
            Files.createTempDirectory("recorder"),
            List.of("-Xmx128m"));
    bridge = new EventarcBridge(emulators.projectId(), emulators.pubsubHost(), RunningStack.RETRY);
    try (PubSubAdmin admin = new PubSubAdmin(emulators.pubsubHost(), emulators.projectId())) {
      admin.createTopic(TOPIC);
      admin.createTopic(FunctionCatalog.DEAD_LETTER_TOPIC);
      admin.createPullSubscription("dead-letter-watch", FunctionCatalog.DEAD_LETTER_TOPIC);
      admin.createDeliverySubscription(
          "recorder-" + TOPIC,
          TOPIC,
          FunctionCatalog.DEAD_LETTER_TOPIC,
          FunctionCatalog.MAX_DELIVERY_ATTEMPTS,
          RunningStack.RETRY.minBackoff(),
          RunningStack.RETRY.maxBackoff(),
          ACK_DEADLINE);
    }
    bridge.deliver("recorder-" + TOPIC, TOPIC, URI.create("http://" + function.host()));
    channel = ManagedChannelBuilder.forTarget(emulators.pubsubHost()).usePlaintext().build();
    publisher =
        Publisher.newBuilder(TopicName.of(emulators.projectId(), TOPIC))
            .setChannelProvider(
                FixedTransportChannelProvider.create(GrpcTransportChannel.create(channel)))
            .setCredentialsProvider(NoCredentialsProvider.create())
            .build();
    firestore =
        FirestoreOptions.newBuilder()
            .setProjectId(emulators.projectId())
            .setEmulatorHost(emulators.firestoreHost())
            .build()
            .getService();
  }

  @AfterAll
  static void stop() throws Exception {
    publisher.shutdown();
    publisher.awaitTermination(5, TimeUnit.SECONDS);
    channel.shutdownNow();
    bridge.close();
    function.close();
    firestore.close();
  }

  private static String publish(String data) throws Exception {
    return publisher
        .publish(
            PubsubMessage.newBuilder()
                .setData(ByteString.copyFromUtf8(data))
                .putAttributes(
                    "traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
                .build())
        .get();
  }

  private static DocumentSnapshot delivery(String id) throws Exception {
    return firestore.collection("deliveries").document(id).get().get();
  }

  @Test
  void messageArrivesAsAPubSubCloudEventExactlyOnce() throws Exception {
    String id = publish("hello");
    await().atMost(Duration.ofSeconds(20)).until(() -> delivery(id).exists());
    DocumentSnapshot doc = delivery(id);
    assertThat(doc.getString("type")).isEqualTo("google.cloud.pubsub.topic.v1.messagePublished");
    assertThat(doc.getString("source"))
        .isEqualTo("//pubsub.googleapis.com/projects/demo-cirrus-test/topics/" + TOPIC);
    JsonNode body = JSON.readTree(doc.getString("body"));
    assertThat(new String(Base64.getDecoder().decode(body.path("message").path("data").asText())))
        .isEqualTo("hello");
    assertThat(body.path("message").path("messageId").asText()).isEqualTo(id);
    assertThat(body.path("message").path("attributes").path("traceparent").asText())
        .startsWith("00-");
    assertThat(body.path("subscription").asText()).endsWith("recorder-" + TOPIC);
    // An acknowledged message does not come back, however long one waits.
    await()
        .during(PAST_THE_DEADLINE)
        .atMost(PAST_THE_DEADLINE.plusSeconds(5))
        .until(() -> delivery(id).getLong("attempts") == 1);
  }

  @Test
  void aMessageThatAlwaysFailsGoesToTheDeadLetterTopicAfterFiveAttempts() throws Exception {
    String id = publish("always-fail");
    await()
        .atMost(Duration.ofSeconds(90))
        .until(() -> pulledDeadLetters().contains("YWx3YXlzLWZhaWw"));
    assertThat(delivery(id).getLong("attempts")).isEqualTo(FunctionCatalog.MAX_DELIVERY_ATTEMPTS);
    // Dead-lettered: no sixth attempt, not even after the deadline of the fifth.
    await()
        .during(PAST_THE_DEADLINE)
        .atMost(PAST_THE_DEADLINE.plusSeconds(5))
        .until(() -> delivery(id).getLong("attempts") == FunctionCatalog.MAX_DELIVERY_ATTEMPTS);
  }

  private static String pulledDeadLetters() throws Exception {
    return java.net.http.HttpClient.newHttpClient()
        .send(
            java.net.http.HttpRequest.newBuilder(
                    URI.create(
                        "http://"
                            + pubsubHost
                            + "/v1/projects/demo-cirrus-test/subscriptions/dead-letter-watch:pull"))
                .header("Content-Type", "application/json")
                .POST(
                    java.net.http.HttpRequest.BodyPublishers.ofString(
                        "{\"maxMessages\":10,\"returnImmediately\":true}"))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString())
        .body();
  }

  @Test
  void aFailedDeliveryIsRetriedUntilTheFunctionSucceeds() throws Exception {
    String id = publish("fail-once");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> delivery(id).exists() && delivery(id).getLong("attempts") >= 2);
    // The successful second attempt was acknowledged: no third.
    await()
        .during(PAST_THE_DEADLINE)
        .atMost(PAST_THE_DEADLINE.plusSeconds(5))
        .until(() -> delivery(id).getLong("attempts") == 2);
  }

  @Test
  void aBurstIsDeliveredManyAtOnceNotTwoByTwo() throws Exception {
    List<String> ids = new java.util.ArrayList<>();
    for (int i = 0; i < EventarcBridge.DEFAULT_IN_FLIGHT; i++) {
      ids.add(publish("slow-" + i));
    }
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              for (String id : ids) {
                if (!finished(id)) {
                  return false;
                }
              }
              return true;
            });
    // The most deliveries running at one moment, from when each started and ended.
    List<long[]> spans = new java.util.ArrayList<>();
    for (String id : ids) {
      DocumentSnapshot d = delivery(id);
      spans.add(new long[] {d.getLong("startedAt"), d.getLong("finishedAt")});
    }
    int most = 0;
    for (long[] span : spans) {
      int atOnce = 0;
      for (long[] other : spans) {
        if (other[0] <= span[0] && span[0] < other[1]) {
          atOnce++;
        }
      }
      most = Math.max(most, atOnce);
    }
    assertThat(most)
        .as("deliveries at once (the emulator's push manages two)")
        .isGreaterThanOrEqualTo(8);
  }

  private static boolean finished(String id) throws Exception {
    DocumentSnapshot d = delivery(id);
    return d.exists() && d.getLong("finishedAt") != null;
  }
}
