package dev.cirrus.shared.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cirrus.shared.log.TraceContext;
import java.io.IOException;
import java.net.URI;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A Pub/Sub message as a {@code google.cloud.pubsub.topic.v1.messagePublished} CloudEvent carries
 * it: {@code {"message": {"data", "attributes", "messageId"}, "subscription"}}.
 */
public record PubSubEnvelope(String messageId, Map<String, String> attributes, byte[] data) {

  /** Empty when the bytes are not an envelope: such a message can never be processed. */
  public static Optional<PubSubEnvelope> decode(ObjectMapper mapper, byte[] body) {
    try {
      JsonNode message = mapper.readTree(body).path("message");
      if (!message.isObject()) {
        return Optional.empty();
      }
      Map<String, String> attributes = new HashMap<>();
      message
          .path("attributes")
          .properties()
          .forEach(e -> attributes.put(e.getKey(), e.getValue().asText()));
      String data = message.path("data").asText("");
      return Optional.of(
          new PubSubEnvelope(
              message.path("messageId").asText(message.path("message_id").asText("")),
              Map.copyOf(attributes),
              Base64.getDecoder().decode(data)));
    } catch (IOException | IllegalArgumentException | NullPointerException e) {
      return Optional.empty();
    }
  }

  /**
   * The topic a {@code messagePublished} CloudEvent's {@code source} names ({@code
   * //pubsub.googleapis.com/projects/{p}/topics/{topic}}), or empty.
   */
  public static Optional<String> topicOf(URI source) {
    String text = source == null ? "" : source.toString();
    int at = text.lastIndexOf("/topics/");
    return at < 0 || at + 8 == text.length()
        ? Optional.empty()
        : Optional.of(text.substring(at + 8));
  }

  /** The trace the publisher carried over in its {@code traceparent} attribute. */
  public Optional<TraceContext> trace() {
    return TraceContext.parse(attributes.get("traceparent"), null);
  }
}
