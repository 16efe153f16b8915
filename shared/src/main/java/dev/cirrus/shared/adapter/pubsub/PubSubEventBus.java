package dev.cirrus.shared.adapter.pubsub;

import com.google.api.core.ApiFuture;
import com.google.cloud.pubsub.v1.Publisher;
import com.google.protobuf.ByteString;
import com.google.pubsub.v1.PubsubMessage;
import dev.cirrus.shared.error.Unavailable;
import dev.cirrus.shared.events.EventBus;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/** {@link EventBus} on Pub/Sub: waits for the server's message id, so a publish is never lost. */
public final class PubSubEventBus implements EventBus {
  private final Function<String, Publisher> publishers;

  /**
   * @param publishers one publisher per topic id, created on first use
   */
  public PubSubEventBus(Function<String, Publisher> publishers) {
    this.publishers = publishers;
  }

  @Override
  public void publish(String topic, Map<String, String> attributes, byte[] data) {
    PubsubMessage message =
        PubsubMessage.newBuilder()
            .putAllAttributes(attributes)
            .setData(ByteString.copyFrom(data))
            .build();
    ApiFuture<String> id = publishers.apply(topic).publish(message);
    try {
      id.get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Unavailable("interrupted while publishing to " + topic, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new Unavailable("cannot publish to " + topic + ", try again", e);
    }
  }
}
