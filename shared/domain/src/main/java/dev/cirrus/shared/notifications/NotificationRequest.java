package dev.cirrus.shared.notifications;

import dev.cirrus.shared.auth.Uid;
import java.util.List;
import java.util.Map;

/**
 * What another system asks for on {@code notification-requests}: notify these users. {@code
 * requestId} makes it idempotent; {@code recipients} holds each valid uid once, in the order sent.
 */
public record NotificationRequest(
    String requestId,
    String type,
    List<Uid> recipients,
    String title,
    String body,
    Map<String, String> data) {

  public NotificationRequest {
    recipients = List.copyOf(recipients);
    data = Map.copyOf(data);
  }
}
