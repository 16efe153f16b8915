package dev.cirrus.shared.notifications;

import dev.cirrus.shared.events.FileEvent;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What to tell recipients, once: the content of a notification before it is addressed to anyone,
 * made from a {@link NotificationRequest} or a file event. Each recipient gets a {@link
 * StoredNotification} of it.
 *
 * @param sourceKey what makes it the same notice on every delivery: a request's id, an event's id
 * @param createdAt a time fixed by the source, so a redelivery writes the same document
 */
public record NotificationContent(
    String sourceKey,
    String type,
    String title,
    String body,
    Map<String, String> data,
    Instant createdAt) {

  public NotificationContent {
    data = Map.copyOf(data);
  }

  /** A producer's request, as of when Pub/Sub accepted it. */
  public static NotificationContent of(NotificationRequest request, Instant publishedAt) {
    return new NotificationContent(
        "request:" + request.requestId(),
        request.type(),
        request.title(),
        request.body(),
        request.data(),
        publishedAt);
  }

  /**
   * What the owner of a file is told about it: ready and rejected uploads. Other file events (a
   * deletion the owner asked for) are not news to them.
   */
  public static Optional<NotificationContent> of(FileEvent event) {
    String name = event.filename() == null ? "Your file" : event.filename();
    Map<String, String> data = new LinkedHashMap<>();
    data.put("uploadId", event.uploadId());
    return switch (event.type()) {
      case FileEvent.READY -> {
        if (event.fileId() != null) {
          data.put("fileId", event.fileId());
        }
        yield Optional.of(
            new NotificationContent(
                "event:" + event.eventId(),
                FileEvent.READY,
                "Upload ready",
                name + " is ready.",
                data,
                event.occurredAt()));
      }
      case FileEvent.REJECTED -> {
        String reason = event.reason() == null ? "it could not be verified" : event.reason();
        data.put("reason", reason);
        yield Optional.of(
            new NotificationContent(
                "event:" + event.eventId(),
                FileEvent.REJECTED,
                "Upload rejected",
                name + " was rejected: " + reason + ".",
                data,
                event.occurredAt()));
      }
      default -> Optional.empty();
    };
  }

  /** The notification every recipient of this notice gets, unread. */
  public StoredNotification notification() {
    return new StoredNotification(
        StoredNotification.idFor(sourceKey), type, title, body, data, createdAt, Optional.empty());
  }
}
