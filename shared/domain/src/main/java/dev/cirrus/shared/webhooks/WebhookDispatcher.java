package dev.cirrus.shared.webhooks;

import dev.cirrus.shared.events.FileEvent;
import dev.cirrus.shared.events.MalformedEvent;
import dev.cirrus.shared.events.MessageCodec;
import dev.cirrus.shared.events.MessageCodec.WebhookStep;
import dev.cirrus.shared.events.Topics;
import dev.cirrus.shared.notifications.NotificationRequest;
import dev.cirrus.shared.notifications.NotificationRequestReader;
import java.time.Instant;

/**
 * What the webhook-delivery function does with a message, by topic: a file event or a notification
 * request fans out, a delivery message sends, a tick sends what is due.
 *
 * @throws MalformedEvent for a body its topic does not carry: acknowledged and logged, never
 *     retried
 */
public final class WebhookDispatcher {
  private final WebhookFanOut fanOut;
  private final WebhookSender sender;
  private final MessageCodec messages;
  private final NotificationRequestReader requests;

  public WebhookDispatcher(
      WebhookFanOut fanOut,
      WebhookSender sender,
      MessageCodec messages,
      NotificationRequestReader requests) {
    this.fanOut = fanOut;
    this.sender = sender;
    this.messages = messages;
    this.requests = requests;
  }

  /** Says what it did, for the log line. */
  public String handle(String topic, byte[] data, Instant publishedAt) {
    switch (topic) {
      case Topics.FILE_EVENTS -> {
        FileEvent event = messages.readFileEvent(data);
        if (event.type() == null || event.eventId() == null || event.ownerUid() == null) {
          throw new MalformedEvent("a file event needs eventId, type and ownerUid");
        }
        if (event.occurredAt() == null) {
          throw new MalformedEvent("a file event needs occurredAt");
        }
        return event.type() + " " + event.eventId() + ": " + fanOut.fileEvent(event) + " queued";
      }
      case Topics.NOTIFICATION_REQUESTS -> {
        NotificationRequest request = requests.read(data).request();
        return request.type()
            + " "
            + request.requestId()
            + ": "
            + fanOut.notification(request, publishedAt)
            + " queued";
      }
      case Topics.WEBHOOK_DELIVERIES -> {
        WebhookStep step = messages.readWebhookDelivery(data);
        if (step.isTick()) {
          return "tick: " + sender.tick() + " due";
        }
        return step.deliveryId().get()
            + " to "
            + step.endpointId().get()
            + ": "
            + sender.send(step.endpointId().get(), step.deliveryId().get());
      }
      default -> throw new MalformedEvent("webhook-delivery does not consume topic " + topic);
    }
  }
}
