package dev.cirrus.shared.deadletters;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The behaviour every {@link SubscriptionTopics} adapter must have; one subclass per adapter. */
public abstract class SubscriptionTopicsContract {
  protected abstract SubscriptionTopics topics();

  /** Creates {@code topic} and a subscription to it; returns the subscription's full name. */
  protected abstract String subscribe(String topic);

  protected abstract String projectId();

  @Test
  void aSubscriptionNamesTheTopicItReads() {
    String subscription = subscribe("contract-topic-" + System.nanoTime());
    assertThat(topics().topicOf(subscription)).hasValueSatisfying(t -> t.startsWith("contract-"));
  }

  @Test
  void aSubscriptionThatDoesNotExistHasNoTopic() {
    assertThat(
            topics()
                .topicOf("projects/" + projectId() + "/subscriptions/gone-" + System.nanoTime()))
        .isEmpty();
  }
}
