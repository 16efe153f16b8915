package dev.cirrus.local.emulators;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Topics, subscriptions and messages in the Pub/Sub emulator through its REST API, with the retry
 * and dead-letter settings {@code infra/} gives subscriptions in production. Creating what exists
 * is not an error. REST rather than the gRPC admin clients: the local stack starts faster without
 * loading them.
 */
public final class PubSubAdmin implements AutoCloseable {
  private final String base;
  private final String projectId;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final ObjectMapper json = new ObjectMapper();

  public PubSubAdmin(String emulatorHost, String projectId) {
    this.base = "http://" + emulatorHost + "/v1/projects/" + projectId;
    this.projectId = projectId;
  }

  public void createTopic(String topic) {
    put("/topics/" + topic, Map.of(), true);
  }

  /**
   * A pull subscription a bridge delivers from, with the retry and dead-letter settings Eventarc's
   * subscriptions get in production: after {@code maxAttempts} failed deliveries a message goes to
   * {@code deadLetterTopic} (none when null). An existing subscription of the same name is
   * replaced, so a restart starts clean.
   *
   * @param ackDeadline how long a delivery may take before the message is handed out again
   */
  public void createDeliverySubscription(
      String subscription,
      String topic,
      String deadLetterTopic,
      int maxAttempts,
      Duration minBackoff,
      Duration maxBackoff,
      Duration ackDeadline) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("topic", topicName(topic));
    body.put("ackDeadlineSeconds", ackDeadline.toSeconds());
    body.put(
        "retryPolicy",
        Map.of(
            "minimumBackoff", minBackoff.getSeconds() + "s",
            "maximumBackoff", maxBackoff.getSeconds() + "s"));
    if (deadLetterTopic != null) {
      body.put(
          "deadLetterPolicy",
          Map.of(
              "deadLetterTopic", topicName(deadLetterTopic), "maxDeliveryAttempts", maxAttempts));
    }
    delete("/subscriptions/" + subscription);
    put("/subscriptions/" + subscription, body, false);
  }

  /** A message handed out by {@link #pullWaiting}, to be acknowledged or handed back. */
  public record Pulled(
      String ackId,
      String messageId,
      String publishTime,
      Map<String, String> attributes,
      String data,
      int deliveryAttempt) {}

  /**
   * Waits for messages on a pull subscription (the emulator holds a pull open until some arrive, up
   * to about 90 s) and returns up to {@code max} of them, not acknowledged.
   */
  public List<Pulled> pullWaiting(String subscription, int max) {
    JsonNode answer =
        post(
            "/subscriptions/" + subscription + ":pull",
            Map.of("maxMessages", max),
            // Longer than the emulator's hold: a pull abandoned by the client would keep its
            // messages out of reach until their deadline, and count an attempt against them.
            Duration.ofSeconds(150));
    List<Pulled> pulled = new ArrayList<>();
    for (JsonNode m : answer.path("receivedMessages")) {
      JsonNode message = m.path("message");
      Map<String, String> attributes = new HashMap<>();
      message
          .path("attributes")
          .properties()
          .forEach(e -> attributes.put(e.getKey(), e.getValue().asText()));
      pulled.add(
          new Pulled(
              m.path("ackId").asText(),
              message.path("messageId").asText(),
              message.path("publishTime").asText(""),
              Map.copyOf(attributes),
              message.path("data").asText(""),
              m.path("deliveryAttempt").asInt(1)));
    }
    return pulled;
  }

  public void acknowledge(String subscription, String ackId) {
    post("/subscriptions/" + subscription + ":acknowledge", Map.of("ackIds", List.of(ackId)));
  }

  /** Hands a message back, to be delivered again after {@code delay} (zero: at once). */
  public void redeliverAfter(String subscription, String ackId, Duration delay) {
    post(
        "/subscriptions/" + subscription + ":modifyAckDeadline",
        Map.of("ackIds", List.of(ackId), "ackDeadlineSeconds", delay.toSeconds()));
  }

  /** A pull subscription, for tests that watch a topic. */
  public void createPullSubscription(String subscription, String topic) {
    put(
        "/subscriptions/" + subscription,
        Map.of("topic", topicName(topic), "ackDeadlineSeconds", 10),
        true);
  }

  /** A message as a pull returns it. */
  public record Received(Map<String, String> attributes, byte[] data) {}

  /** Publishes one message, as any producer would. */
  public void publish(String topic, Map<String, String> attributes, byte[] data) {
    Map<String, Object> message = new HashMap<>();
    message.put("data", Base64.getEncoder().encodeToString(data));
    if (!attributes.isEmpty()) {
      message.put("attributes", attributes);
    }
    post("/topics/" + topic + ":publish", Map.of("messages", List.of(message)));
  }

  /** Pulls and acknowledges what is waiting on a pull subscription, without waiting for more. */
  public List<Received> pull(String subscription, int max) {
    JsonNode answer =
        post(
            "/subscriptions/" + subscription + ":pull",
            Map.of("maxMessages", max, "returnImmediately", true));
    List<Received> received = new ArrayList<>();
    List<String> ackIds = new ArrayList<>();
    for (JsonNode m : answer.path("receivedMessages")) {
      ackIds.add(m.path("ackId").asText());
      Map<String, String> attributes = new HashMap<>();
      m.path("message")
          .path("attributes")
          .properties()
          .forEach(e -> attributes.put(e.getKey(), e.getValue().asText()));
      received.add(
          new Received(
              Map.copyOf(attributes),
              Base64.getDecoder().decode(m.path("message").path("data").asText(""))));
    }
    if (!ackIds.isEmpty()) {
      post("/subscriptions/" + subscription + ":acknowledge", Map.of("ackIds", ackIds));
    }
    return received;
  }

  private JsonNode post(String path, Map<String, Object> body) {
    return post(path, body, Duration.ofSeconds(10));
  }

  private JsonNode post(String path, Map<String, Object> body, Duration timeout) {
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(URI.create(base + path))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes(body))));
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          "POST " + path + " answered " + response.statusCode() + ": " + response.body());
    }
    try {
      return json.readTree(response.body());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private String topicName(String topic) {
    return "projects/" + projectId + "/topics/" + topic;
  }

  private void put(String path, Map<String, Object> body, boolean existingIsFine) {
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes(body))));
    if (response.statusCode() == 409 && existingIsFine) {
      return;
    }
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          "PUT " + path + " answered " + response.statusCode() + ": " + response.body());
    }
  }

  private void delete(String path) {
    int status = send(HttpRequest.newBuilder(URI.create(base + path)).DELETE()).statusCode();
    if (status != 200 && status != 404) {
      throw new IllegalStateException("DELETE " + path + " answered " + status);
    }
  }

  private byte[] bytes(Map<String, Object> body) {
    try {
      return json.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      HttpRequest built = request.build();
      if (built.timeout().isEmpty()) {
        // A just-started emulator on a loaded machine can take a while over its first calls.
        built = request.timeout(Duration.ofSeconds(30)).build();
      }
      return http.send(built, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException("the Pub/Sub emulator did not answer", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    // nothing held open: each call is one HTTP request
  }
}
