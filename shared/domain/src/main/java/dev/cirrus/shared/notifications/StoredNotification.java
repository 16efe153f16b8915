package dev.cirrus.shared.notifications;

import dev.cirrus.shared.error.BadRequest;
import dev.cirrus.shared.ids.Sha256;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An in-app notification as stored, {@code users/{uid}/notifications/{id}}: one recipient's copy of
 * a {@link NotificationContent}, the document the app listens to. The API shows it as a {@link
 * NotificationView}; producers ask for one with a {@link NotificationRequest}.
 *
 * @param type the event's type ({@code file.ready}) or the producer's
 * @param readAt when the user read it; empty while unread
 */
public record StoredNotification(
    String id,
    String type,
    String title,
    String body,
    Map<String, String> data,
    Instant createdAt,
    Optional<Instant> readAt) {
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{43}");

  public StoredNotification {
    data = Map.copyOf(data);
  }

  /**
   * The id of the notification {@code sourceKey} gives: a redelivered or repeated event lands on
   * the document its first delivery wrote. Unique per user, since the document lives under them.
   */
  public static String idFor(String sourceKey) {
    return Sha256.base64Url(sourceKey);
  }

  public static boolean isValidId(String id) {
    return id != null && ID.matcher(id).matches();
  }

  /** Validates an id taken from a URL. */
  public static String requireValidId(String id) {
    if (!isValidId(id)) {
      throw BadRequest.invalidParameter("id", "is not a notification id");
    }
    return id;
  }

  public boolean unread() {
    return readAt.isEmpty();
  }
}
