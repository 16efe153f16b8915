package dev.cirrus.functions.webhookdelivery;

import com.google.cloud.functions.CloudEventsFunction;
import dev.cirrus.shared.adapter.webhooks.PinnedWebhookTransport;
import dev.cirrus.shared.events.MalformedEvent;
import dev.cirrus.shared.json.JsonWebhookPayloads;
import dev.cirrus.shared.json.NotificationRequestDecoder;
import dev.cirrus.shared.platform.Platform;
import dev.cirrus.shared.platform.Platform.WarmUp;
import dev.cirrus.shared.platform.PubSubTrigger;
import dev.cirrus.shared.platform.PubSubTrigger.Outcome;
import dev.cirrus.shared.webhooks.WebhookDispatcher;
import dev.cirrus.shared.webhooks.WebhookFanOut;
import dev.cirrus.shared.webhooks.WebhookSender;
import io.cloudevents.CloudEvent;
import java.util.Set;

/**
 * Pub/Sub-triggered function on {@code file-events} and {@code notification-requests}, which it
 * fans out into webhook deliveries, and on {@code webhook-deliveries}, whose messages it sends
 * ({@link WebhookDispatcher}). A failed attempt is recorded and retried on its schedule, not by
 * Pub/Sub; only a failure to record one is.
 */
public final class WebhookDeliveryFunction implements CloudEventsFunction {
  private final PubSubTrigger trigger;

  /** Used by the Functions Framework: production wiring from the environment. */
  public WebhookDeliveryFunction() {
    this(Platform.fromEnvironment("webhook-delivery"));
  }

  private WebhookDeliveryFunction(Platform platform) {
    platform.warmUpInBackground(Set.of(WarmUp.FIRESTORE));
    WebhookDispatcher dispatcher = dispatcher(platform);
    this.trigger =
        platform.pubSubTrigger(
            "webhook-delivery",
            message -> {
              if (message.topic().isEmpty()) {
                return Outcome.warn("dropped: the event names no topic");
              }
              try {
                return Outcome.done(
                    dispatcher.handle(
                        message.topic().get(), message.data(), message.publishedAt()));
              } catch (MalformedEvent | IllegalArgumentException e) {
                return Outcome.warn("not a webhook event: " + e.getMessage());
              }
            });
  }

  /** The composition root: Firestore adapters, the pinned transport, the system's resolver. */
  private static WebhookDispatcher dispatcher(Platform platform) {
    boolean demo = platform.config().isDemo();
    WebhookFanOut fanOut =
        new WebhookFanOut(
            platform.adapters().webhookEndpoints(),
            platform.adapters().webhookDeliveries(),
            platform.adapters().eventBus(),
            platform.messages(),
            new JsonWebhookPayloads(platform.json()),
            platform.clock());
    WebhookSender sender =
        new WebhookSender(
            platform.adapters().webhookEndpoints(),
            platform.adapters().webhookDeliveries(),
            platform.adapters().webhookTransport(),
            PinnedWebhookTransport::systemLookup,
            platform.adapters().eventBus(),
            platform.messages(),
            platform.config().webhookRetrySchedule(),
            platform.clock(),
            demo);
    return new WebhookDispatcher(
        fanOut,
        sender,
        platform.messages(),
        new NotificationRequestDecoder(platform.json().mapper()));
  }

  @Override
  public void accept(CloudEvent event) {
    trigger.accept(event);
  }
}
