package dev.cirrus.shared.notifications;

import dev.cirrus.shared.auth.Uid;
import dev.cirrus.shared.events.FileEvent;
import dev.cirrus.shared.events.MalformedEvent;
import dev.cirrus.shared.events.MessageCodec;
import dev.cirrus.shared.events.Topics;
import dev.cirrus.shared.notifications.NotificationRequestReader.Decoded;
import dev.cirrus.shared.notifications.NotificationRequestReader.SkippedRecipient;
import dev.cirrus.shared.processing.EventClaims;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * What {@code notify} does with a message, by the topic it came from: a file event becomes its
 * owner's notification, a producer's request its recipients'. A message that can never be delivered
 * is recorded with its reason (in {@code processedEvents}, and in the answer the function logs) and
 * acknowledged; a transient failure is thrown, so Pub/Sub redelivers.
 */
public final class NotifyDispatcher {
  private final Notifier notifier;
  private final NotificationRequestReader requests;
  private final MessageCodec messages;
  private final EventClaims claims;
  private final Clock clock;

  public NotifyDispatcher(
      Notifier notifier,
      NotificationRequestReader requests,
      MessageCodec messages,
      EventClaims claims,
      Clock clock) {
    this.notifier = notifier;
    this.requests = requests;
    this.messages = messages;
    this.claims = claims;
    this.clock = clock;
  }

  /** What became of a message, for the log. */
  public sealed interface Handled {
    /** Delivered to its recipients; {@code skipped} are those the request named wrongly. */
    record Notified(String sourceKey, Notifier.Outcome outcome, List<SkippedRecipient> skipped)
        implements Handled {}

    /** Nothing to tell anyone: a file event users are not notified of. */
    record Ignored(String why) implements Handled {}

    /** Never deliverable: recorded and acknowledged. */
    record Rejected(String reason) implements Handled {}
  }

  /**
   * @param topic the topic the message was published to
   * @param publishedAt when Pub/Sub accepted it: a request's notifications are dated by it, so a
   *     redelivery writes the same documents
   */
  public Handled handle(String topic, String messageId, byte[] data, Instant publishedAt) {
    try {
      return switch (topic) {
        case Topics.FILE_EVENTS -> fileEvent(data);
        case Topics.NOTIFICATION_REQUESTS -> request(data, publishedAt);
        default -> throw new MalformedEvent("notify does not consume topic " + topic);
      };
    } catch (MalformedEvent e) {
      String key = "notify-rejected/" + topic + "/" + messageId;
      String holder = UUID.randomUUID().toString();
      if (claims.claim(key, holder, clock.instant(), Duration.ofMinutes(1))
          == EventClaims.State.ACQUIRED) {
        claims.finish(key, holder, "rejected: " + e.getMessage(), clock.instant());
      }
      return new Handled.Rejected(e.getMessage());
    }
  }

  private Handled fileEvent(byte[] data) {
    FileEvent event = messages.readFileEvent(data);
    if (event.type() == null || event.eventId() == null || event.ownerUid() == null) {
      throw new MalformedEvent("a file event needs eventId, type and ownerUid");
    }
    try {
      new Uid(event.ownerUid());
    } catch (IllegalArgumentException e) {
      throw new MalformedEvent("ownerUid is not a user id");
    }
    if (event.occurredAt() == null) {
      throw new MalformedEvent("a file event needs occurredAt");
    }
    Optional<NotificationContent> notice = NotificationContent.of(event);
    if (notice.isEmpty()) {
      return new Handled.Ignored(event.type() + " is not a notification");
    }
    Notifier.Outcome outcome =
        notifier.notify(notice.get(), List.of(event.ownerUid()), UUID.randomUUID().toString());
    return new Handled.Notified(notice.get().sourceKey(), outcome, List.of());
  }

  private Handled request(byte[] data, Instant publishedAt) {
    Decoded decoded = requests.read(data);
    NotificationContent notice = NotificationContent.of(decoded.request(), publishedAt);
    List<String> uids = decoded.request().recipients().stream().map(Uid::value).toList();
    Notifier.Outcome outcome = notifier.notify(notice, uids, UUID.randomUUID().toString());
    return new Handled.Notified(notice.sourceKey(), outcome, decoded.skipped());
  }
}
