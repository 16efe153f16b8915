package dev.cirrus.shared.deadletters;

import java.util.Optional;

/** Port: which topic a subscription reads (Pub/Sub's subscription resource). */
public interface SubscriptionTopics {

  /**
   * @param subscription {@code projects/{p}/subscriptions/{s}}
   * @return the topic's short name; empty if the subscription is gone
   */
  Optional<String> topicOf(String subscription);
}
