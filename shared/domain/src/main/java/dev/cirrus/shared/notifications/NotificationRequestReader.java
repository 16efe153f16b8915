package dev.cirrus.shared.notifications;

import dev.cirrus.shared.events.MalformedEvent;
import java.util.List;

/**
 * Port: reads a {@code notification-requests} message against the contract we publish to producers.
 * A request that breaks the contract anywhere but in one recipient is a {@link MalformedEvent}:
 * retrying cannot fix it. A recipient that breaks it is skipped with its reason, so one bad uid
 * does not cost the other recipients their notification.
 */
public interface NotificationRequestReader {
  Decoded read(byte[] data);

  /** A recipient left out of a request, and why; the request's other recipients still count. */
  record SkippedRecipient(String uid, String reason) {}

  /** A request with the recipients it can notify, and those it cannot. */
  record Decoded(NotificationRequest request, List<SkippedRecipient> skipped) {
    public Decoded {
      skipped = List.copyOf(skipped);
    }
  }
}
