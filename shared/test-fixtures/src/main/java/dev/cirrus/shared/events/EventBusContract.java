package dev.cirrus.shared.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link EventBus} adapter must have; one subclass per adapter. */
public abstract class EventBusContract {
  /** A message as a subscriber of the topic receives it. */
  public record Received(Map<String, String> attributes, String body) {}

  protected abstract EventBus bus();

  /** A topic that exists and that {@link #received} can watch, new for each test. */
  protected abstract String newTopic();

  /** Everything published on {@code topic} so far, as a subscriber gets it. */
  protected abstract List<Received> received(String topic) throws Exception;

  @Test
  void aPublishedMessageArrivesWithItsAttributesAndBody() throws Exception {
    String topic = newTopic();
    String body = "{\"fileId\":\"" + UUID.randomUUID() + "\"}";
    bus().publish(topic, Map.of("type", "file.ready", "traceparent", "00-abc-def-01"), bytes(body));

    assertThat(received(topic))
        .containsExactly(
            new Received(Map.of("type", "file.ready", "traceparent", "00-abc-def-01"), body));
  }

  @Test
  void messagesOfOneTopicDoNotReachAnother() throws Exception {
    String first = newTopic();
    String second = newTopic();
    bus().publish(first, Map.of(), bytes("one"));

    assertThat(received(second)).isEmpty();
    assertThat(received(first)).extracting(Received::body).containsExactly("one");
  }

  @Test
  void eachPublishIsOneMessage() throws Exception {
    String topic = newTopic();
    for (int i = 0; i < 5; i++) {
      bus().publish(topic, Map.of("n", Integer.toString(i)), bytes("m" + i));
    }
    assertThat(received(topic))
        .extracting(Received::body)
        .containsExactlyInAnyOrder("m0", "m1", "m2", "m3", "m4");
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
