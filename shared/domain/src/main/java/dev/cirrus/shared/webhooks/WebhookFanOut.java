package dev.cirrus.shared.webhooks;

import dev.cirrus.shared.auth.Uid;
import dev.cirrus.shared.events.EventBus;
import dev.cirrus.shared.events.FileEvent;
import dev.cirrus.shared.events.MessageCodec;
import dev.cirrus.shared.events.Topics;
import dev.cirrus.shared.ids.Sha256;
import dev.cirrus.shared.notifications.NotificationRequest;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns an event into one delivery per endpoint that receives it, each published on {@code
 * webhook-deliveries}. A delivery's id is derived from the event's id and the endpoint's, so the
 * same event fanned out again (a redelivered message) finds its deliveries and creates none; it
 * publishes the ones not yet attempted again, in case the first run died before it published.
 */
public final class WebhookFanOut {
  private final WebhookEndpoints endpoints;
  private final WebhookDeliveries deliveries;
  private final EventBus bus;
  private final MessageCodec messages;
  private final WebhookPayloads payloads;
  private final Clock clock;

  public WebhookFanOut(
      WebhookEndpoints endpoints,
      WebhookDeliveries deliveries,
      EventBus bus,
      MessageCodec messages,
      WebhookPayloads payloads,
      Clock clock) {
    this.endpoints = endpoints;
    this.deliveries = deliveries;
    this.bus = bus;
    this.messages = messages;
    this.payloads = payloads;
    this.clock = clock;
  }

  /** A {@code file-events} message; how many deliveries it queued. */
  public int fileEvent(FileEvent event) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("fileId", event.fileId());
    data.put("uploadId", event.uploadId());
    data.put("ownerUid", event.ownerUid());
    data.put("filename", event.filename());
    data.put("contentType", event.contentType());
    data.put("size", event.size());
    data.put("reason", event.reason());
    data.values().removeIf(v -> v == null);
    String body = payloads.body(event.type(), event.occurredAt(), data);
    int queued = 0;
    for (WebhookEndpoint endpoint : endpoints.subscribedTo(event.type())) {
      if (endpoint.receives(event.type(), event.ownerUid())) {
        queued += queue(endpoint, event.eventId(), event.type(), body);
      }
    }
    return queued;
  }

  /** A {@code notification-requests} message: one delivery per endpoint and recipient. */
  public int notification(NotificationRequest request, Instant publishedAt) {
    List<WebhookEndpoint> subscribed = endpoints.subscribedTo(request.type());
    int queued = 0;
    for (Uid recipient : request.recipients()) {
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("requestId", request.requestId());
      data.put("uid", recipient.value());
      data.put("title", request.title());
      data.put("body", request.body());
      data.put("data", request.data());
      data.values().removeIf(v -> v == null);
      String body = payloads.body(request.type(), publishedAt, data);
      for (WebhookEndpoint endpoint : subscribed) {
        if (endpoint.receives(request.type(), recipient.value())) {
          queued +=
              queue(endpoint, request.requestId() + ":" + recipient.value(), request.type(), body);
        }
      }
    }
    return queued;
  }

  private int queue(WebhookEndpoint endpoint, String sourceId, String type, String body) {
    String id = "msg_" + Sha256.hex(sourceId + "/" + endpoint.id()).substring(0, 26);
    WebhookDelivery stored =
        deliveries.create(WebhookDelivery.pending(id, endpoint.id(), type, body, Times.now(clock)));
    if (stored.status() != WebhookDelivery.Status.PENDING || stored.attemptCount() > 0) {
      return 0;
    }
    bus.publish(
        Topics.WEBHOOK_DELIVERIES,
        Map.of("endpointId", endpoint.id()),
        messages.webhookDelivery(endpoint.id(), id));
    return 1;
  }
}
