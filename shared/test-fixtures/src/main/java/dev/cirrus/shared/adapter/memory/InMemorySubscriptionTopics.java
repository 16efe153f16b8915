package dev.cirrus.shared.adapter.memory;

import dev.cirrus.shared.deadletters.SubscriptionTopics;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** {@link SubscriptionTopics} from a table, held to the same contract test as Pub/Sub's. */
public final class InMemorySubscriptionTopics implements SubscriptionTopics {
  private final Map<String, String> topics = new HashMap<>();

  /** {@code subscription} (full name) reads {@code topic} (short name). */
  public synchronized void subscribe(String subscription, String topic) {
    topics.put(subscription, topic);
  }

  @Override
  public synchronized Optional<String> topicOf(String subscription) {
    return Optional.ofNullable(topics.get(subscription));
  }
}
