package dev.cirrus.local.emulators;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.AlreadyExistsException;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.cloud.pubsub.v1.SubscriptionAdminClient;
import com.google.cloud.pubsub.v1.SubscriptionAdminSettings;
import com.google.cloud.pubsub.v1.TopicAdminClient;
import com.google.cloud.pubsub.v1.TopicAdminSettings;
import com.google.protobuf.Duration;
import com.google.pubsub.v1.DeadLetterPolicy;
import com.google.pubsub.v1.PushConfig;
import com.google.pubsub.v1.RetryPolicy;
import com.google.pubsub.v1.Subscription;
import com.google.pubsub.v1.SubscriptionName;
import com.google.pubsub.v1.TopicName;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * Creates topics and push subscriptions in the Pub/Sub emulator, with the retry and dead-letter
 * settings {@code infra/} gives them in production. Creating what exists is not an error.
 */
public final class PubSubAdmin implements AutoCloseable {
  private final String projectId;
  private final ManagedChannel channel;
  private final TopicAdminClient topics;
  private final SubscriptionAdminClient subscriptions;

  public PubSubAdmin(String emulatorHost, String projectId) throws IOException {
    this.projectId = projectId;
    this.channel = ManagedChannelBuilder.forTarget(emulatorHost).usePlaintext().build();
    FixedTransportChannelProvider transport =
        FixedTransportChannelProvider.create(GrpcTransportChannel.create(channel));
    this.topics =
        TopicAdminClient.create(
            TopicAdminSettings.newBuilder()
                .setTransportChannelProvider(transport)
                .setCredentialsProvider(NoCredentialsProvider.create())
                .build());
    this.subscriptions =
        SubscriptionAdminClient.create(
            SubscriptionAdminSettings.newBuilder()
                .setTransportChannelProvider(transport)
                .setCredentialsProvider(NoCredentialsProvider.create())
                .build());
  }

  public void createTopic(String topic) {
    try {
      topics.createTopic(TopicName.of(projectId, topic));
    } catch (AlreadyExistsException e) {
      // idempotent: a restart with a warm emulator keeps its topics
    }
  }

  /**
   * A push subscription delivering {@code topic} to {@code endpoint}; after {@code maxAttempts}
   * failed deliveries a message goes to {@code deadLetterTopic}.
   */
  public void createPushSubscription(
      String subscription,
      String topic,
      String endpoint,
      String deadLetterTopic,
      int maxAttempts,
      java.time.Duration minBackoff,
      java.time.Duration maxBackoff) {
    Subscription.Builder builder =
        Subscription.newBuilder()
            .setName(SubscriptionName.of(projectId, subscription).toString())
            .setTopic(TopicName.of(projectId, topic).toString())
            .setPushConfig(PushConfig.newBuilder().setPushEndpoint(endpoint))
            .setAckDeadlineSeconds(60)
            .setRetryPolicy(
                RetryPolicy.newBuilder()
                    .setMinimumBackoff(seconds(minBackoff))
                    .setMaximumBackoff(seconds(maxBackoff)));
    if (deadLetterTopic != null) {
      builder.setDeadLetterPolicy(
          DeadLetterPolicy.newBuilder()
              .setDeadLetterTopic(TopicName.of(projectId, deadLetterTopic).toString())
              .setMaxDeliveryAttempts(maxAttempts));
    }
    try {
      subscriptions.createSubscription(builder.build());
    } catch (AlreadyExistsException e) {
      subscriptions.deleteSubscription(SubscriptionName.of(projectId, subscription));
      subscriptions.createSubscription(builder.build());
    }
  }

  /** A pull subscription, for tests that watch a topic. */
  public void createPullSubscription(String subscription, String topic) {
    subscriptions.createSubscription(
        Subscription.newBuilder()
            .setName(SubscriptionName.of(projectId, subscription).toString())
            .setTopic(TopicName.of(projectId, topic).toString())
            .setAckDeadlineSeconds(10)
            .build());
  }

  public SubscriptionAdminClient subscriptions() {
    return subscriptions;
  }

  private static Duration seconds(java.time.Duration d) {
    return Duration.newBuilder().setSeconds(d.getSeconds()).build();
  }

  @Override
  public void close() throws InterruptedException {
    topics.close();
    subscriptions.close();
    channel.shutdown().awaitTermination(5, TimeUnit.SECONDS);
  }
}
