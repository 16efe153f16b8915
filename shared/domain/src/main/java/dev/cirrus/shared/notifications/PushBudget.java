package dev.cirrus.shared.notifications;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * FCM carries at most 4096 bytes of notification and data in one message, and refuses the whole
 * message beyond that. Cirrus adds two data keys to every push ({@code notificationId}, {@code
 * notificationType}), so a request's own title, body and data get what is left. A request over it
 * could never be pushed: it is refused when it arrives, not at every recipient's send.
 */
public final class PushBudget {
  /** FCM's limit on notification and data together, in bytes. */
  public static final int FCM_MAX_BYTES = 4096;

  /** The two keys Cirrus adds, an id (43 characters of base64url SHA-256) and a longest type. */
  static final int ADDED_BY_CIRRUS =
      "notificationId".length() + 43 + "notificationType".length() + 64;

  /** What a request's title, body and data may take together. */
  public static final int FOR_THE_REQUEST = FCM_MAX_BYTES - ADDED_BY_CIRRUS;

  private PushBudget() {}

  /** The bytes FCM counts of a title, a body and data: each string in UTF-8. */
  public static long bytes(String title, String body, Map<String, String> data) {
    long total = utf8(title) + utf8(body);
    for (Map.Entry<String, String> entry : data.entrySet()) {
      total += utf8(entry.getKey()) + utf8(entry.getValue());
    }
    return total;
  }

  public static boolean fits(NotificationRequest request) {
    return bytes(request.title(), request.body(), request.data()) <= FOR_THE_REQUEST;
  }

  private static long utf8(String text) {
    return text == null ? 0 : text.getBytes(StandardCharsets.UTF_8).length;
  }
}
