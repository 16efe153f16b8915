package dev.cirrus.shared.adapter.pubsub;

import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.NotFoundException;
import com.google.cloud.pubsub.v1.SubscriptionAdminClient;
import com.google.pubsub.v1.TopicName;
import dev.cirrus.shared.deadletters.SubscriptionTopics;
import dev.cirrus.shared.error.Unavailable;
import java.util.Optional;
import java.util.function.Supplier;

/** {@link SubscriptionTopics} from Pub/Sub's own subscription resource. */
public final class PubSubSubscriptionTopics implements SubscriptionTopics {
  private final Supplier<SubscriptionAdminClient> client;

  public PubSubSubscriptionTopics(Supplier<SubscriptionAdminClient> client) {
    this.client = client;
  }

  @Override
  public Optional<String> topicOf(String subscription) {
    try {
      String topic = client.get().getSubscription(subscription).getTopic();
      return TopicName.isParsableFrom(topic)
          ? Optional.of(TopicName.parse(topic).getTopic())
          : Optional.empty();
    } catch (NotFoundException e) {
      return Optional.empty();
    } catch (ApiException e) {
      if (e.isRetryable()) {
        throw new Unavailable("Pub/Sub is unavailable, try again", e);
      }
      throw e;
    }
  }
}
