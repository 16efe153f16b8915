package dev.cirrus.shared.adapter.memory;

import dev.cirrus.shared.deadletters.SubscriptionTopics;
import dev.cirrus.shared.deadletters.SubscriptionTopicsContract;

class InMemorySubscriptionTopicsTest extends SubscriptionTopicsContract {
  private final InMemorySubscriptionTopics topics = new InMemorySubscriptionTopics();

  @Override
  protected SubscriptionTopics topics() {
    return topics;
  }

  @Override
  protected String subscribe(String topic) {
    String subscription = "projects/demo-memory/subscriptions/" + topic + "-sub";
    topics.subscribe(subscription, topic);
    return subscription;
  }

  @Override
  protected String projectId() {
    return "demo-memory";
  }
}
