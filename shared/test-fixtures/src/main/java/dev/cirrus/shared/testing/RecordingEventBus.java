package dev.cirrus.shared.testing;

import dev.cirrus.shared.events.EventBus;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** An event bus that keeps what was published, for tests that count effects. */
public final class RecordingEventBus implements EventBus {
  /** One published message. */
  public record Message(String topic, Map<String, String> attributes, String body) {}

  private final List<Message> messages = new ArrayList<>();

  @Override
  public synchronized void publish(String topic, Map<String, String> attributes, byte[] data) {
    messages.add(
        new Message(topic, Map.copyOf(attributes), new String(data, StandardCharsets.UTF_8)));
  }

  public synchronized List<Message> on(String topic) {
    return messages.stream().filter(m -> m.topic().equals(topic)).toList();
  }
}
