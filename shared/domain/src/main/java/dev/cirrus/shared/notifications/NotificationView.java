package dev.cirrus.shared.notifications;

import java.time.Instant;
import java.util.Map;

/**
 * A notification as the API shows it: the fields of its document, {@code readAt} null if unread.
 */
public record NotificationView(
    String id,
    String type,
    String title,
    String body,
    Map<String, String> data,
    Instant createdAt,
    // Always present, null while unread: clients test it, as they do on the document.
    Instant readAt) {

  public static NotificationView of(StoredNotification n) {
    return new NotificationView(
        n.id(), n.type(), n.title(), n.body(), n.data(), n.createdAt(), n.readAt().orElse(null));
  }
}
